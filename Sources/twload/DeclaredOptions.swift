import ArgumentParser
import TwloadConfig

/// ArgumentParser options and flags made from twload's declarations, one line per option in a command.
extension Option {
    /// A single-valued option declared by `spec`: its name, help (with its default) and parser all come
    /// from the declaration, and the value name is the long name, as ArgumentParser would make it.
    init<V>(_ spec: OptionSpec<V>) where Value == Given<V>? {
        self.init(name: .customLong(spec.name), help: ArgumentHelp(spec.commandLineHelp, valueName: spec.name)) {
            Given(spec, text: $0)
        }
    }

    /// A required option declared by `spec` (ArgumentParser reports it when it is missing).
    init<V>(required spec: OptionSpec<V>) where Value == Given<V> {
        self.init(name: .customLong(spec.name), help: ArgumentHelp(spec.commandLineHelp, valueName: spec.name)) {
            Given(spec, text: $0)
        }
    }

    /// A repeatable option declared by `spec`: every occurrence counts.
    init<V>(_ spec: OptionSpec<V>) where Value == [Given<V>] {
        self.init(
            wrappedValue: [], name: .customLong(spec.name),
            help: ArgumentHelp(spec.commandLineHelp, valueName: spec.name)
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
    /// The declaration's help without Markdown, with its default.
    var commandLineHelp: String {
        PlainText.fromMarkdown(help) + defaultValue.commandLineSuffix
    }
}
