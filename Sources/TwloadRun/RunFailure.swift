import TwloadModel
import TwloadSystem

/// A run that could not start or could not record. The CLI gives each case its documented exit status.
public enum RunFailure: Error, Sendable, CustomStringConvertible {
    /// The CSV file could not be created.
    case cannotCreateCSV(path: String, SystemError)
    /// The CSV destination cannot take rows: a FIFO with no reader, or a standard output closed at start.
    /// The message says which.
    case csvUnavailable(String)
    /// The JSON summary's file could not be created.
    case cannotCreateSummary(path: String, SystemError)
    /// Writing a CSV row failed mid-run. Rows written before are intact.
    case csvWriteFailed(SystemError)
    /// Writing the JSON summary failed after the run. The CSV is complete.
    case summaryWriteFailed(SystemError)
    /// A system resource the run needs was refused.
    case system(context: String, SystemError)
    /// The run needs a privilege it does not have, e.g. a network namespace.
    case noPrivilege(String)
    /// A lab topology could not be built: `ip` or `nft` is missing or refused a command (exit 71).
    case labSetup(String)
    /// An option or profile value is invalid.
    case usage(ConfigError)
    /// `--out`'s folder or one of its files could not be created.
    case cannotCreateOut(path: String, SystemError)
    /// A fleet's agent started later after `--start-at` than `--max-late` allows: it records nothing.
    case startedLate(lateNanos: Int64, maxLateNanos: Int64, startAt: WallTime)
    /// A signal arrived while the run waited for `--start-at`.
    case stoppedBeforeStart(signal: Int32)

    public var description: String {
        switch self {
        case .cannotCreateCSV(let path, let e): "--csv: cannot create '\(path)': \(e.errno.message)"
        case .csvUnavailable(let message): message
        case .cannotCreateSummary(let path, let e): "--summary-json: cannot create '\(path)': \(e.errno.message)"
        case .csvWriteFailed(let e): "writing the CSV failed: \(e.errno.message); the rows written so far are intact"
        case .summaryWriteFailed(let e): "writing the JSON summary failed: \(e.errno.message); the CSV is complete"
        case .system(let context, let e): "\(context): \(e)"
        case .noPrivilege(let message): message
        case .labSetup(let message): message
        case .usage(let e): "\(e)"
        case .cannotCreateOut(let path, let e): "--out: cannot create '\(path)': \(e.errno.message)"
        case .startedLate(let late, let maxLate, let startAt):
            "--start-at \(startAt): this agent started \(NumberText.fixed3(Double(late) / 1e9)) s late, more than "
                + "--max-late \(NumberText.fixed3(Double(maxLate) / 1e9)) s; it records nothing (check its clock, "
                + "or start the fleet with more lead)"
        case .stoppedBeforeStart(let signal):
            "stopped by \(signal == 2 ? "SIGINT" : signal == 15 ? "SIGTERM" : "signal \(signal)") while waiting for --start-at; nothing was recorded"
        }
    }
}
