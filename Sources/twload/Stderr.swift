import Twload

/// Writes diagnostics to standard error.
enum Stderr {
    static func write(_ text: String) {
        Console.writeError(text)
    }

    /// A note or warning, one line, prefixed with "twload: ".
    static func note(_ line: String) {
        Console.writeError("twload: \(line)\n")
    }
}
