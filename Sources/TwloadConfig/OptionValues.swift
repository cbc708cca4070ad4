import TwloadModel

/// Option values by option name, each parsed by its declaration, plus the errors of values that did not
/// parse. Reading goes through the declaration (`values[RunOption.rate]`), so a value comes back as the
/// type its parser made. Used for the command line's values, a profile's, and their combination.
public struct OptionValues: Sendable {
    /// Every occurrence's value, by option name (a single-valued option holds one).
    private var store: [String: [any Sendable]] = [:]
    /// The texts the values were parsed from, by option name (as typed, or as the profile wrote them).
    private var texts: [String: [String]] = [:]
    /// Values that did not parse, by option name: reported when the run is resolved, so that a profile's
    /// errors (which point into the file) come first.
    private var invalid: [String: ConfigError] = [:]

    public init() {}

    /// The value given for `spec` (the last occurrence), or nil.
    public subscript<V>(_ spec: OptionSpec<V>) -> V? {
        store[spec.name]?.last as? V
    }

    /// Every value given for a repeatable `spec`, in order.
    public func list<V>(_ spec: OptionSpec<V>) -> [V] {
        store[spec.name]?.compactMap { $0 as? V } ?? []
    }

    /// The value given for `spec`, else its fixed default (nil for an option with neither).
    public func value<V>(_ spec: OptionSpec<V>) -> V? {
        self[spec] ?? spec.fixedDefault
    }

    /// Whether the option `name` was given (valid or not).
    public func contains(_ name: String) -> Bool {
        store[name] != nil || invalid[name] != nil
    }

    /// Sets `spec`'s values (an empty list removes it), with the texts they were parsed from, if any.
    public mutating func set<V>(_ spec: OptionSpec<V>, _ values: [V], texts: [String] = []) {
        invalid[spec.name] = nil
        store[spec.name] = values.isEmpty ? nil : values
        self.texts[spec.name] = values.isEmpty || texts.isEmpty ? nil : texts
    }

    /// The texts `spec` was given as, else its default's text; nil when neither exists.
    public func texts<V>(_ spec: OptionSpec<V>) -> [String]? {
        if let given = texts[spec.name] { return given }
        if case .text(let text, _) = spec.defaultValue { return [text] }
        return nil
    }

    /// Records that option `name` was given a value that did not parse.
    public mutating func setInvalid(_ name: String, _ error: ConfigError) {
        store[name] = nil
        texts[name] = nil
        invalid[name] = error
    }

    /// `self` with every option that `other` gives replaced by `other`'s value (or error).
    public func overridden(by other: OptionValues) -> OptionValues {
        var merged = self
        for (name, values) in other.store {
            merged.store[name] = values
            merged.texts[name] = other.texts[name]
            merged.invalid[name] = nil
        }
        for (name, error) in other.invalid {
            merged.store[name] = nil
            merged.texts[name] = nil
            merged.invalid[name] = error
        }
        return merged
    }

    /// Throws the error of the first value that did not parse, in the order of `table`.
    public func checkValid(in table: [any AnyOptionSpec]) throws(ConfigError) {
        for spec in table { if let e = invalid[spec.name] { throw e } }
        if let (_, e) = invalid.min(by: { $0.key < $1.key }) { throw e }
    }
}
