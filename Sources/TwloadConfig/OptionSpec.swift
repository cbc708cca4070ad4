import TwloadModel

/// What an option is when it is not given.
public enum OptionDefault: Sendable, Equatable {
    /// A value written as a user would type it ("30s"); the option's own parser reads it. `note` follows it in
    /// the README ("`-` (stdout)").
    case text(String, note: String? = nil)
    /// No fixed value; the text says what happens instead ("none: built-in server").
    case described(String)
    /// Nothing happens without it.
    case none
    /// It must be given.
    case required
    /// It must be given unless what the text names supplies it ("a profile sets `rate` or a `schedule`").
    case requiredUnless(String)
}

/// One option of a twload command, declared once: its long name, value syntax, default, help text and
/// parser. Everything else derives from it: the CLI's typed ArgumentParser option (name, help and parser),
/// the keys of a profile's `run` section, and the README's option tables, which a test compares with the
/// declarations. Adding an option is one declaration (and the code that uses its value).
public struct OptionSpec<Value: Sendable>: Sendable {
    /// The long name without dashes, e.g. "source-ports".
    public let name: String
    /// A one-letter name as well, e.g. `o` for `-o`; nil for most options.
    public let shortName: Character?
    /// How a value is written in the README, e.g. "LO-HI" or "client|server".
    public let syntax: String
    public let defaultValue: OptionDefault
    /// One paragraph in light Markdown (backticks, links): the README's meaning column, and the CLI's help
    /// once the Markdown is taken out.
    public let help: String
    /// Whether every occurrence counts (a list), rather than the last one.
    public let isRepeatable: Bool
    /// What a shell's completion offers for the value.
    public let completion: OptionCompletion
    /// Reads one occurrence's text. Errors name the option they are given (`--name`, or a profile key).
    public let parse: @Sendable (_ text: String, _ option: String) throws(ConfigError) -> Value

    public init(
        _ name: String, short shortName: Character? = nil, syntax: String, default defaultValue: OptionDefault,
        repeatable: Bool = false, completion: OptionCompletion = .none, help: String,
        parse: @escaping @Sendable (_ text: String, _ option: String) throws(ConfigError) -> Value
    ) {
        self.name = name
        self.shortName = shortName
        self.syntax = syntax
        self.defaultValue = defaultValue
        self.isRepeatable = repeatable
        self.completion = completion
        self.help = help
        self.parse = parse
    }

    /// An option whose value is one of an enumeration's names: its syntax (`client|server`), its completion
    /// and its parser all come from the type, so a new case shows up in each of them.
    public static func choice(
        _ name: String, default defaultValue: OptionDefault, help: String
    ) -> OptionSpec<Value> where Value: RawRepresentable & CaseIterable, Value.RawValue == String {
        OptionSpec(
            name, syntax: Value.allCases.map(\.rawValue).joined(separator: "|"), default: defaultValue,
            completion: .choices(of: Value.self), help: help
        ) { text, option throws(ConfigError) in try ValueParsing.choice(text, option: option) }
    }

    /// "--source-ports".
    public var flag: String { "--" + name }

    /// Parses one occurrence, naming this option in an error.
    public func value(of text: String) throws(ConfigError) -> Value {
        try parse(text, flag)
    }

    /// The default as a value, when it is a fixed one.
    public var fixedDefault: Value? {
        guard case .text(let text, _) = defaultValue else { return nil }
        return try? parse(text, flag)
    }
}

/// A flag (no value) of a twload command, declared once like an option.
public struct FlagSpec: Sendable {
    public let name: String
    public let help: String

    public init(_ name: String, help: String) {
        self.name = name
        self.help = help
    }

    /// "--quiet".
    public var flag: String { "--" + name }
}

/// What a table of options needs from a declaration whatever its value type.
public protocol AnyOptionSpec: Sendable {
    var name: String { get }
    /// The README's option column, e.g. "`--close client\|server`".
    var readmeOption: String { get }
    /// The README's default column.
    var readmeDefault: String { get }
    var help: String { get }
    var isRepeatable: Bool { get }
    /// False only for a default written as text that the option's own parser rejects (a declaration bug).
    var defaultIsValid: Bool { get }
    /// Parses the texts of every occurrence (the last counts unless repeatable) into `values`; errors name
    /// `option`.
    func parse(_ texts: [String], into values: inout OptionValues, option: String) throws(ConfigError)
    /// The texts of this option's value in `values` (given, else the default's), or nil.
    func texts(in values: OptionValues) -> [String]?
}

extension OptionSpec: AnyOptionSpec {
    public var readmeOption: String {
        "`" + (shortName.map { "-\($0), " } ?? "") + "--\(name) \(syntax.replacing("|", with: "\\|"))`"
    }

    public var readmeDefault: String { defaultValue.readme }

    public var defaultIsValid: Bool {
        if case .text = defaultValue { return fixedDefault != nil }
        return true
    }

    public func texts(in values: OptionValues) -> [String]? { values.texts(self) }

    public func parse(_ texts: [String], into values: inout OptionValues, option: String) throws(ConfigError) {
        var parsed: [Value] = []
        let kept = isRepeatable ? texts : Array(texts.suffix(1))
        for text in kept { parsed.append(try parse(text, option)) }
        values.set(self, parsed, texts: kept)
    }
}

extension FlagSpec: AnyOptionSpec {
    public var readmeOption: String { "`--\(name)`" }
    public var readmeDefault: String { "off" }
    public var isRepeatable: Bool { false }
    public var defaultIsValid: Bool { true }

    public func texts(in values: OptionValues) -> [String]? { nil }

    /// A flag in a profile would be written `name: true`; no profile key is a flag today.
    public func parse(_ texts: [String], into values: inout OptionValues, option: String) throws(ConfigError) {
        throw ConfigError(option, "is a flag and takes no value")
    }
}

extension OptionDefault {
    /// The README's default column.
    public var readme: String {
        switch self {
        case .text(let text, let note): "`\(text)`" + (note.map { " (\($0))" } ?? "")
        case .described(let text): text
        case .none: "none"
        case .required: "required"
        case .requiredUnless(let text): "required unless \(text)"
        }
    }

    /// What the CLI's help adds after the text, without Markdown: " (default: 30s)", " (required)", or
    /// nothing for an option with no default.
    public var commandLineSuffix: String {
        switch self {
        case .text(let text, let note): " (default: \(text)" + (note.map { ", \($0)" } ?? "") + ")"
        case .described(let text): " (default: \(PlainText.fromMarkdown(text)))"
        case .none: ""
        case .required: " (required)"
        case .requiredUnless(let text): " (required unless \(PlainText.fromMarkdown(text)))"
        }
    }
}

/// Light Markdown (backticks, links, escaped bars) as terminal text.
public enum PlainText {
    /// "`--rate` (see [Pacing](#open-loop-pacing))" → "--rate (see Pacing)".
    public static func fromMarkdown(_ text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "[") {
            out += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "]"),
                rest.index(after: close) < rest.endIndex, rest[rest.index(after: close)] == "(",
                let end = rest[close...].firstIndex(of: ")")
            else {
                out.append("[")
                rest = rest[rest.index(after: open)...]
                continue
            }
            out += rest[rest.index(after: open)..<close]
            rest = rest[rest.index(after: end)...]
        }
        out += rest
        return out.replacing("`", with: "").replacing("\\|", with: "|")
    }
}
