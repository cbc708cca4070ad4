import TwloadModel
import TwloadSystem

/// A run that could not start or could not record. Each case has a documented exit status.
public enum RunFailure: Error, Sendable, CustomStringConvertible {
    /// The CSV file could not be created (exit 73, EX_CANTCREAT).
    case cannotCreateCSV(path: String, SystemError)
    /// Writing a CSV row failed mid-run (exit 74, EX_IOERR). Rows written before are intact.
    case csvWriteFailed(SystemError)
    /// A system resource the run needs was refused (exit 71, EX_OSERR).
    case system(context: String, SystemError)
    /// The run needs a privilege it does not have, e.g. a network namespace (exit 77, EX_NOPERM).
    case noPrivilege(String)
    /// An option or profile value is invalid (exit 64).
    case usage(ConfigError)

    public var exitStatus: Int32 {
        switch self {
        case .cannotCreateCSV: 73
        case .csvWriteFailed: 74
        case .system: 71
        case .noPrivilege: 77
        case .usage: 64
        }
    }

    public var description: String {
        switch self {
        case .cannotCreateCSV(let path, let e): "--csv: cannot create '\(path)': \(e.errno.message)"
        case .csvWriteFailed(let e): "writing the CSV failed: \(e.errno.message); the rows written so far are intact"
        case .system(let context, let e): "\(context): \(e)"
        case .noPrivilege(let message): message
        case .usage(let e): "\(e)"
        }
    }
}
