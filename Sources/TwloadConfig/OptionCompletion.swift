/// What a shell's completion offers for an option's value, declared with the option. The command-line layer
/// turns it into ArgumentParser's `CompletionKind`; this library never imports ArgumentParser.
public enum OptionCompletion: Sendable, Equatable {
    /// Nothing to offer: a number, an address, a duration or free text.
    case none
    /// Exactly these words, e.g. `client server` for `--close`.
    case words([String])
    /// A path to a file; with extensions, only files that end in one of them (and directories, to walk into).
    case file(extensions: [String])

    /// The words of an enumerated value type, in its declaration order.
    public static func choices<E: RawRepresentable & CaseIterable>(of type: E.Type) -> OptionCompletion
    where E.RawValue == String {
        .words(type.allCases.map(\.rawValue))
    }
}
