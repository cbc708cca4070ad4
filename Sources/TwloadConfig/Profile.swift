import TwloadModel

/// A profile: one experiment in a commented YAML file (`twload run` options, an optional rate schedule,
/// lab sysctls and capacity thresholds). `ProfileLoader` reads and checks it; every problem is a
/// one-line `ProfileError` that names the file, the line and the key path.
///
/// ```yaml
/// title: Client close exhausts a 100-port range
/// run:
///   close: client
///   source-ports: 40000-40099
///   rate: 100
/// schedule:
///   - ramp: [1000, 3000]
///     for: 10s
/// sysctl:
///   net.ipv4.tcp_tw_reuse: 0
/// thresholds:
///   - eaddrnotavail > 0
/// ```
public struct Profile: Sendable, Equatable {
    /// The file it was read from, as given (used in error messages).
    public let path: String
    public let title: String
    /// Empty when the file has none; trailing newlines of a block scalar are dropped.
    public let description: String
    /// `run` options by long name (no dashes, one of `RunOption.all`), with the line each came from. Values are
    /// the scalars' original text (`linger: off` is "off", `rate: 100` is "100"); only a repeatable option
    /// (`source-addr`) may hold more than one. `RunResolution` parses them with the options' declarations.
    public let options: [String: ProfileValue]
    /// Rate stages in order; empty when the profile has no `schedule`.
    public let schedule: [RateSchedule.Stage]
    /// The line of the `schedule` key, when there is one.
    public let scheduleLine: Int?
    /// In file order; values keep their original text.
    public let sysctls: [ProfileSysctl]
    /// In file order.
    public let thresholds: [ProfileThreshold]
    /// The `lab` section: `twload lab`'s topology options by long name (`topology`, `nat-ports`, …), read
    /// like `run` values by `LabResolution`.
    public let labOptions: [String: ProfileValue]

    /// The top-level keys a profile may have.
    public static let knownKeys = ["title", "description", "run", "schedule", "lab", "sysctl", "thresholds"]

    public init(
        path: String, title: String, description: String = "", options: [String: ProfileValue] = [:],
        schedule: [RateSchedule.Stage] = [], scheduleLine: Int? = nil, sysctls: [ProfileSysctl] = [],
        thresholds: [ProfileThreshold] = [], labOptions: [String: ProfileValue] = [:]
    ) {
        self.labOptions = labOptions
        self.path = path
        self.title = title
        self.description = description
        self.options = options
        self.schedule = schedule
        self.scheduleLine = scheduleLine
        self.sysctls = sysctls
        self.thresholds = thresholds
    }

    /// Reads and checks the profile at `path`. A missing or unreadable file is an error without a line.
    public static func load(path: String) throws(ProfileError) -> Profile {
        try ProfileLoader.load(path: path)
    }

    /// Checks `yaml`; `path` only names the file in errors.
    public static func parse(yaml: String, path: String) throws(ProfileError) -> Profile {
        try ProfileLoader(path: path).parse(yaml: yaml)
    }

    /// Turns a ConfigError raised while applying `options[key]` into a ProfileError at that key's line.
    /// `key` is the long name with or without its dashes ("rate" or "--rate", so `e.option` works too);
    /// an option the profile does not set gives an error without a line.
    public func error(_ e: ConfigError, key: String) -> ProfileError {
        let name = String(key.drop(while: { $0 == "-" }))
        return ProfileError(path: path, line: options[name]?.line, key: "run.\(name)", problem: e.problem)
    }
}

/// The value of one `run` option and the line of its key.
public struct ProfileValue: Sendable, Equatable {
    /// One value, or several for a repeatable option such as `source-addr`.
    public let values: [String]
    public let line: Int

    public init(values: [String], line: Int) {
        self.values = values
        self.line = line
    }
}

/// One `sysctl` entry, applied only inside `twload lab`'s private network namespace, and its line.
public struct ProfileSysctl: Sendable, Equatable {
    /// Checked when the profile is read (only `net.` names); the value keeps its original text.
    public let setting: SysctlSetting
    public let line: Int

    public init(_ setting: SysctlSetting, line: Int) {
        self.setting = setting
        self.line = line
    }
}

/// One capacity gate, an expression such as "eaddrnotavail > 0".
public struct ProfileThreshold: Sendable, Equatable {
    public let text: String
    public let line: Int

    public init(text: String, line: Int) {
        self.text = text
        self.line = line
    }
}

/// A profile that cannot be used. Its description is one line:
/// "profiles/x.yaml:12: run.rate: must be greater than 0 (got '0')", or without a line
/// "profiles/x.yaml: cannot read: No such file or directory".
public struct ProfileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The profile's path, as given.
    public let path: String
    /// 1-based line, when known.
    public let line: Int?
    /// Where in the profile: "run.rate", "schedule[2].for", "sysctl.net.ipv4.tcp_tw_reuse", "run" for an unknown
    /// key inside `run`; nil for the file as a whole (unreadable, bad YAML, unknown top-level key).
    /// Stage and list indexes count from 0.
    public let key: String?
    /// What is wrong, on one line.
    public let problem: String

    /// Line breaks in `key` and `problem` (which may quote the profile's text) are shown as `\n`.
    public init(path: String, line: Int?, key: String?, problem: String) {
        self.path = path
        self.line = line
        self.key = key.map(Self.oneLine)
        self.problem = Self.oneLine(problem)
    }

    public var description: String {
        var text = Self.oneLine(path)
        if let line { text += ":\(line)" }
        if let key { text += ": \(key)" }
        return text + ": " + problem
    }

    static func oneLine(_ text: String) -> String {
        guard text.contains(where: \.isNewline) else { return text }
        var out = ""
        for c in text {
            if c == "\r\n" || c == "\n" {
                out += "\\n"
            } else if c == "\r" {
                out += "\\r"
            } else if c.isNewline {
                out += " "
            } else {
                out.append(c)
            }
        }
        return out
    }
}
