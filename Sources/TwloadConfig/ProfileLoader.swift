import Foundation
import TwloadModel
import TwloadSystem
import Yams

/// Reads a profile file and walks its YAML nodes, keeping every value's original text and line.
///
/// Values are taken from the nodes' original scalar text, never from YAML's typed resolution, so that
/// `linger: off` stays "off" (not YAML 1.1's false) and `rate: 1e3` stays "1e3".
struct ProfileLoader {
    let path: String

    static func load(path: String) throws(ProfileError) -> Profile {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ProfileError(path: path, line: nil, key: nil, problem: "cannot read: \(readFailure(error))")
        }
        return try ProfileLoader(path: path).parse(yaml: text)
    }

    /// A short reason: strerror's text when Foundation reports the errno behind the failure.
    static func readFailure(_ error: any Error) -> String {
        if let e = error as? CocoaError {
            if let posix = e.underlying as? POSIXError { return Errno(rawValue: posix.code.rawValue).message }
            switch e.code {
            case .fileReadNoSuchFile: return Errno.noSuchFile.message
            case .fileReadNoPermission: return Errno.permissionDenied.message
            case .fileReadInapplicableStringEncoding, .fileReadCorruptFile: return "not UTF-8 text"
            default: break
            }
        }
        if let posix = error as? POSIXError { return Errno(rawValue: posix.code.rawValue).message }
        return "\(error)"
    }

    func parse(yaml: String) throws(ProfileError) -> Profile {
        let composed: Node?
        do {
            composed = try Yams.compose(yaml: yaml)
        } catch {
            throw yamlError(error, yaml: yaml)
        }
        guard let root = composed, !isNull(root) else {
            throw fail(nil, "title", "is required (the file has no settings)")
        }
        guard case .mapping(let top) = root else {
            throw fail(
                line(root), nil,
                "expected a mapping of \(Profile.knownKeys.joined(separator: ", ")) (got \(describe(root)))")
        }

        var title: String?
        var description = ""
        var options: [String: ProfileValue] = [:]
        var schedule: [RateSchedule.Stage] = []
        var scheduleLine: Int?
        var sysctls: [ProfileSysctl] = []
        var labOptions: [String: ProfileValue] = [:]
        var thresholds: [ProfileThreshold] = []

        for (name, keyNode, value) in try entries(of: top, at: nil, known: Profile.knownKeys) {
            switch name {
            case "title":
                let text = try scalar(value, key: "title", keyNode: keyNode, expected: "a one-line name").trimmed
                guard !text.isEmpty else { throw fail(line(keyNode), "title", "must not be empty") }
                guard !text.contains(where: \.isNewline) else {
                    throw fail(line(keyNode), "title", "must be one line")
                }
                title = text
            case "description":
                if !isNull(value) {
                    description = try scalar(value, key: "description", keyNode: keyNode, expected: "text")
                    while description.last?.isNewline == true { description.removeLast() }
                }
            case "run":
                options = try runOptions(value, keyNode: keyNode)
            case "schedule":
                schedule = try stages(value, keyNode: keyNode)
                if !schedule.isEmpty { scheduleLine = line(keyNode) }
            case "sysctl":
                sysctls = try sysctlEntries(value, keyNode: keyNode)
            case "lab":
                labOptions = try optionSection(
                    value, keyNode: keyNode, section: "lab", specs: LabOption.topologyOptions)
            default:  // "thresholds"
                thresholds = try thresholdEntries(value, keyNode: keyNode)
            }
        }

        guard let title else {
            throw fail(line(root), "title", "is required (a one-line name for the experiment)")
        }
        // A schedule sets the rate and the duration; a `run` rate or duration beside it would be ignored.
        if !schedule.isEmpty {
            for key in [RunOption.rate.name, RunOption.duration.name] {
                if let given = options[key] {
                    throw fail(
                        given.line, "run.\(key)",
                        "conflicts with 'schedule' (line \(scheduleLine ?? 0)), which sets the rate and duration; "
                            + "remove one of them")
                }
            }
        }
        return Profile(
            path: path, title: title, description: description, options: options, schedule: schedule,
            scheduleLine: scheduleLine, sysctls: sysctls, thresholds: thresholds, labOptions: labOptions)
    }

    // MARK: Sections

    /// The `run` section: `twload run` options by long name.
    private func runOptions(_ node: Node, keyNode: Node) throws(ProfileError) -> [String: ProfileValue] {
        try optionSection(node, keyNode: keyNode, section: "run", specs: RunOption.all)
    }

    /// A section of options by long name (`run`: twload run's, `lab`: the topology's), each value's text
    /// and line kept for the option's own parser.
    private func optionSection(
        _ node: Node, keyNode: Node, section: String, specs: [any AnyOptionSpec]
    ) throws(ProfileError) -> [String: ProfileValue] {
        if isNull(node) { return [:] }
        guard case .mapping(let mapping) = node else {
            throw fail(
                line(keyNode), section, "expected a mapping of `twload \(section)` options (got \(describe(node)))")
        }
        var options: [String: ProfileValue] = [:]
        for (name, key, value) in try entries(of: mapping, at: section, known: specs.map(\.name)) {
            let repeatable = specs.contains { $0.name == name && $0.isRepeatable }
            let keyPath = "\(section).\(name)"
            let values: [String]
            if repeatable, case .sequence(let list) = value {
                guard !list.isEmpty else { throw fail(line(key), keyPath, "needs at least one value") }
                var items: [String] = []
                for (i, item) in list.enumerated() {
                    items.append(try scalar(item, key: "\(keyPath)[\(i)]", keyNode: item, expected: "a value"))
                }
                values = items
            } else {
                let expected = repeatable ? "a value or a list of values" : "a value"
                values = [try scalar(value, key: keyPath, keyNode: key, expected: expected)]
            }
            options[name] = ProfileValue(values: values, line: line(key))
        }
        return options
    }

    /// The `sysctl` section: `net.*` keys for every namespace, and `client:`, `router:` or `server:` mappings
    /// of keys for one namespace of a routed or NAT topology.
    private func sysctlEntries(
        _ node: Node, keyNode: Node, at path: String = "sysctl", role: LabRole? = nil
    ) throws(ProfileError) -> [ProfileSysctl] {
        if isNull(node) { return [] }
        guard case .mapping(let mapping) = node else {
            throw fail(
                line(keyNode), path,
                "expected a mapping such as 'net.ipv4.tcp_tw_reuse: 0' (got \(describe(node)))")
        }
        var sysctls: [ProfileSysctl] = []
        for (name, key, value) in try entries(of: mapping, at: path, known: nil) {
            let keyPath = "\(path).\(name)"
            if role == nil, let inner = LabRole(rawValue: name) {
                sysctls += try sysctlEntries(value, keyNode: key, at: keyPath, role: inner)
                continue
            }
            guard SysctlSetting.isNetworkName(name) else {
                throw fail(
                    line(key), keyPath,
                    "expected a dotted net. name such as net.ipv4.tcp_tw_reuse "
                        + "(only net. settings belong to the lab's namespace)"
                        + (role == nil ? ", or client, router or server for one namespace" : ""))
            }
            let text = try scalar(value, key: keyPath, keyNode: key, expected: "a value")
            let setting = SysctlSetting(key: name, value: text, role: role)
            try check(value, keyPath) { k throws(ConfigError) in try setting.checkValue(option: k) }
            sysctls.append(ProfileSysctl(setting, line: line(key)))
        }
        return sysctls
    }

    private func thresholdEntries(_ node: Node, keyNode: Node) throws(ProfileError) -> [ProfileThreshold] {
        if isNull(node) { return [] }
        guard case .sequence(let list) = node else {
            throw fail(
                line(keyNode), "thresholds",
                "expected a list of expressions such as '- eaddrnotavail > 0' (got \(describe(node)))")
        }
        var thresholds: [ProfileThreshold] = []
        for (i, item) in list.enumerated() {
            let keyPath = "thresholds[\(i)]"
            if case .mapping = item {
                throw fail(line(item), keyPath, "expected an expression; quote it if it contains ': '")
            }
            let text = try scalar(item, key: keyPath, keyNode: item, expected: "an expression").trimmed
            guard !text.isEmpty else { throw fail(line(item), keyPath, "must not be empty") }
            thresholds.append(ProfileThreshold(text: text, line: line(item)))
        }
        return thresholds
    }

    // MARK: Nodes

    /// A mapping's entries with text keys, in file order. Unknown keys (when `known` is given), non-text keys and
    /// repeated keys are errors.
    func entries(
        of mapping: Node.Mapping, at section: String?, known: [String]?
    ) throws(ProfileError)
        -> [(name: String, key: Node, value: Node)]
    {
        var seen: [String: Int] = [:]
        var result: [(name: String, key: Node, value: Node)] = []
        for (key, value) in mapping {
            guard case .scalar(let k) = key else {
                throw fail(line(key), section, "keys must be plain names (got \(describe(key)))")
            }
            let name = k.string
            if let known, !known.contains(name) {
                throw fail(line(key), section, "unknown key '\(name)' (known: \(known.joined(separator: ", ")))")
            }
            if let first = seen[name] {
                let path = section.map { "\($0).\(name)" } ?? name
                throw fail(line(key), path, "is set twice (first at line \(first))")
            }
            seen[name] = line(key)
            result.append((name, key, value))
        }
        return result
    }

    /// A scalar's original text. A missing value (YAML null) or a list/mapping is an error at `keyNode`'s line.
    func scalar(_ node: Node, key: String, keyNode: Node, expected: String) throws(ProfileError) -> String {
        guard case .scalar(let s) = node, !isNull(node) else {
            throw fail(line(keyNode), key, "expected \(expected) (got \(describe(node)))")
        }
        return s.string
    }

    /// Runs a ValueParsing check; its ConfigError becomes a ProfileError at `node`'s line.
    func check<T>(
        _ node: Node, _ keyPath: String, _ body: (String) throws(ConfigError) -> T
    )
        throws(ProfileError) -> T
    {
        do {
            return try body(keyPath)
        } catch {
            throw fail(line(node), keyPath, error.problem)
        }
    }

    /// A plain empty, `~` or `null` scalar: YAML's "no value".
    func isNull(_ node: Node) -> Bool {
        guard case .scalar(let s) = node, s.style == .plain || s.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(s.string)
    }

    func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let s):
            if isNull(node) { return "nothing" }
            let text = s.string.count > 40 ? s.string.prefix(40) + "…" : s.string
            return "'\(text)'"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        case .alias: return "an alias"
        }
    }

    func line(_ node: Node) -> Int { node.mark?.line ?? 0 }

    /// The first line after `first` where `name:` starts in the same column, with only spaces or `-` before it.
    static func repeatedKeyLine(_ name: String, after first: Mark, in yaml: String) -> Int? {
        var number = 0
        for text in yaml.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            number += 1
            guard number > first.line else { continue }
            let scalars = Array(text.unicodeScalars)
            let column = first.column - 1
            guard column < scalars.count, scalars[..<column].allSatisfy({ $0 == " " || $0 == "-" }) else { continue }
            let rest = String(String.UnicodeScalarView(scalars[column...]))
            guard rest.hasPrefix(name) else { continue }
            if rest.dropFirst(name.count).drop(while: { $0 == " " }).hasPrefix(":") { return number }
        }
        return nil
    }

    func fail(_ line: Int?, _ key: String?, _ problem: String) -> ProfileError {
        ProfileError(path: path, line: line, key: key, problem: problem)
    }

    // MARK: YAML syntax errors

    /// Yams' error as one line at the line it reports, without its multi-line snippet.
    private func yamlError(_ error: any Error, yaml: String) -> ProfileError {
        guard let e = error as? YamlError else {
            return fail(nil, nil, "invalid YAML: \(error)")
        }
        switch e {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            var text = "invalid YAML: \(problem)"
            if let context {
                text +=
                    context.mark.line == mark.line
                    ? " (\(context.text))" : " (\(context.text) at line \(context.mark.line))"
            }
            return fail(mark.line, nil, text)
        case .reader(let problem, let offset, let value, _):
            let line = offset.map { n in yaml.prefix(n).reduce(1) { $1.isNewline ? $0 + 1 : $0 } }
            let byte = value >= 0 ? " (byte 0x\(String(value, radix: 16)))" : ""
            return fail(line, nil, "invalid text: \(problem)\(byte)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            // Yams marks the first occurrence; point at the repeat when it is a block key in the same column.
            let first = context.mark
            guard first.line > 0, let name = duplicates.first else {
                return fail(nil, nil, "keys set twice: \(duplicates.map { "'\($0)'" }.joined(separator: ", "))")
            }
            let repeated = Self.repeatedKeyLine(name, after: first, in: yaml)
            return fail(repeated ?? first.line, nil, "key '\(name)' is set twice (first at line \(first.line))")
        default:
            return fail(nil, nil, "invalid YAML: \(e)")
        }
    }
}
