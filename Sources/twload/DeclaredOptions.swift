import ArgumentParser
import TwloadConfig

/// ArgumentParser options and flags made from twload's declarations, one line per option in a command.
extension Option {
    /// A single-valued option declared by `spec`: its name, help (with its default) and parser all come
    /// from the declaration, and the value name is the long name, as ArgumentParser would make it.
    /// The next argument is the value even when it starts with `-`, so that `--rate -1` reaches the
    /// option's own check ("must be greater than 0") instead of "Missing value".
    init<V>(_ spec: OptionSpec<V>) where Value == Given<V>? {
        self.init(
            name: spec.argumentNames, parsing: .unconditional,
            help: ArgumentHelp(spec.commandLineHelp, valueName: spec.name), completion: spec.completion.kind
        ) { Given(spec, text: $0) }
    }

    /// A required option declared by `spec` (ArgumentParser reports it when it is missing).
    init<V>(required spec: OptionSpec<V>) where Value == Given<V> {
        self.init(
            name: spec.argumentNames, parsing: .unconditional,
            help: ArgumentHelp(spec.commandLineHelp, valueName: spec.name), completion: spec.completion.kind
        ) { Given(spec, text: $0) }
    }

    /// A repeatable option declared by `spec`: every occurrence counts, each taking the next argument.
    init<V>(_ spec: OptionSpec<V>) where Value == [Given<V>] {
        self.init(
            wrappedValue: [], name: .customLong(spec.name), parsing: .unconditionalSingleValue,
            help: ArgumentHelp(spec.commandLineHelp, valueName: spec.name), completion: spec.completion.kind
        ) { Given(spec, text: $0) }
    }
}

extension Flag where Value == Bool {
    /// A flag declared by `spec`.
    init(_ spec: FlagSpec) {
        self.init(
            wrappedValue: false, name: .customLong(spec.name), help: ArgumentHelp(PlainText.fromMarkdown(spec.help)))
    }
}

extension OptionSpec {
    /// `--name`, and `-x` too when the declaration has a short name.
    var argumentNames: NameSpecification {
        guard let short = shortName else { return .customLong(name) }
        return [.customShort(short), .customLong(name)]
    }

    /// The declaration's help without Markdown, with its default.
    var commandLineHelp: String {
        PlainText.fromMarkdown(help) + defaultValue.commandLineSuffix
    }
}

extension OptionCompletion {
    /// What ArgumentParser's completion scripts offer for the value.
    var kind: CompletionKind? {
        switch self {
        case .none: nil
        case .words(let words): .list(words)
        case .file(let extensions): .file(extensions: extensions)
        }
    }
}
