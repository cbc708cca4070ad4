import TwloadConfig

extension OptionValues {
    /// Values from texts by option name, as the command line would give them: each text through its
    /// option's declaration in `table` (every occurrence of a repeatable option, else the last); a text that
    /// does not parse is kept as its error, and reported when the run is resolved. Unknown names are ignored.
    public init(texts: [String: [String]], table: [any AnyOptionSpec] = RunOption.readmeTable) {
        self.init()
        for spec in table {
            guard let given = texts[spec.name] else { continue }
            do {
                try spec.parse(given, into: &self, option: "--" + spec.name)
            } catch {
                setInvalid(spec.name, error)
            }
        }
    }
}
