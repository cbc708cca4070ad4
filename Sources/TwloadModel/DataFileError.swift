/// Why an input file (a twload CSV, a summary JSON) cannot be read as data: one line that names the file,
/// and the line in it when there is one, e.g. `run.csv:17: 12 cells, the header has 55`. `twload plot` and
/// `twload merge` report it with status 65 (EX_DATAERR).
public struct DataFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was wrong with the input.
    public enum Kind: Sendable, Equatable {
        /// The data is malformed: not a twload CSV or summary, or a cell that is not a number (EX_DATAERR).
        case badData
        /// The data is well formed but holds nothing (no rows).
        case noData
    }

    public let kind: Kind
    /// The file's name as the user gave it.
    public let file: String
    /// The 1-based line, when the problem is on one line.
    public let line: Int?
    public let message: String

    public init(_ kind: Kind = .badData, file: String, line: Int? = nil, _ message: String) {
        self.kind = kind
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        "\(file)" + (line.map { ":\($0)" } ?? "") + ": " + message
    }
}
