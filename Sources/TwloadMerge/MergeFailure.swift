import TwloadModel
import TwloadSystem

/// Why `twload merge` could not merge, each with the status the CLI exits with.
public enum MergeFailure: Error, Sendable, CustomStringConvertible {
    /// A folder or file cannot be read, or a folder holds no agent's files (EX_NOINPUT, 66).
    case noInput(String)
    /// An input is malformed or does not fit the others (EX_DATAERR, 65).
    case badData(DataFileError)
    /// An output file cannot be created or written (EX_CANTCREAT, 73).
    case cannotCreate(path: String, SystemError)

    public var description: String {
        switch self {
        case .noInput(let message): message
        case .badData(let e): "\(e)"
        case .cannotCreate(let path, let e): "\(path): cannot write: \(e.errno.message)"
        }
    }
}
