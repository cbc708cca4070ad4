/// Why a line of an interval log cannot be read: the line's number (from 1) and the problem, in one line.
public struct HistogramLogError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What is wrong with the line.
    public enum Problem: Error, Equatable, Sendable {
        /// An interval line has `count` comma-separated fields (after any tag), not 4.
        case fieldCount(Int)
        /// A field (`field`) is not a non-negative decimal number: its text.
        case badNumber(field: String, text: String)
        /// A `Tag=` prefix without the comma that ends it, or with an empty tag.
        case badTag
        /// The histogram field does not decode.
        case histogram(HistogramCodecError)
    }

    /// The line's number, from 1.
    public let line: Int
    public let problem: Problem

    public init(line: Int, problem: Problem) {
        self.line = line
        self.problem = problem
    }

    /// E.g. "line 7: the histogram: cookie 0x1c849301 is not HdrHistogram's V2 encoding (...)".
    public var description: String {
        let what =
            switch problem {
            case .fieldCount(let n): "an interval line needs 4 fields (start,length,max,histogram), this one has \(n)"
            case .badNumber(let field, let text):
                "the \(field) \(quoted(text)) is not a non-negative decimal number"
            case .badTag: "a Tag= prefix needs a non-empty tag and a comma after it"
            case .histogram(let e): "the histogram: \(e)"
            }
        return "line \(line): \(what)"
    }
}

/// `text` in double quotes, shortened to 40 characters, with control characters escaped, so the message
/// stays one line.
private func quoted(_ text: String) -> String {
    let short = text.count > 40 ? String(text.prefix(40)) + "…" : text
    return "\""
        + short.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? $0.escaped(asASCII: true) : String($0) }
        .joined() + "\""
}
