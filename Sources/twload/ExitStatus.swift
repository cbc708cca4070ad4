import TwloadMerge
import TwloadRun

/// Every exit status twload documents besides 0 (README, "Exit status", and `twload --help`), in one place.
enum ExitStatus: Int32, CaseIterable {
    /// A gate failed: a threshold failed or could not be evaluated, `check` predicts that the run would
    /// exhaust its ports or collapse within its duration, or `find` found no rate that holds (even `--min`
    /// failed).
    case thresholdFailed = 1
    /// `twload merge`: the result is partial (an agent is missing, stopped early or failed); the merged files
    /// are written and say so.
    case partialMerge = 3
    /// A bad option, value or profile (EX_USAGE).
    case usage = 64
    /// `twload plot`: the CSV or summary JSON is malformed, or holds no rows (EX_DATAERR).
    case dataError = 65
    /// `twload plot`: an input file cannot be read (EX_NOINPUT).
    case noInput = 66
    /// A system resource was refused (EX_OSERR).
    case systemResource = 71
    /// The CSV output cannot be opened: the file cannot be created, a FIFO has no reader, or standard output
    /// is closed; or `twload plot` cannot write its output file (EX_CANTCREAT).
    case cannotCreateCSV = 73
    /// Writing the CSV failed during the run (EX_IOERR).
    case csvWriteFailed = 74
    /// A fleet's agent started later after `--start-at` than `--max-late` allows, and recorded nothing
    /// (EX_TEMPFAIL: start the fleet again with more lead).
    case startedLate = 75
    /// A privilege the run needs is missing, e.g. a network namespace (EX_NOPERM).
    case noPrivilege = 77
    /// The run was ended by SIGINT (128 + 2).
    case interrupted = 130
    /// The run was ended by SIGQUIT (128 + 3).
    case quit = 131
    /// The run was ended by SIGTERM (128 + 15).
    case terminated = 143

    /// The status of a run that could not start or could not record.
    init(of failure: RunFailure) {
        switch failure {
        case .cannotCreateCSV, .csvUnavailable, .cannotCreateSummary, .cannotCreateOut: self = .cannotCreateCSV
        case .startedLate: self = .startedLate
        case .stoppedBeforeStart(let signal): self = ExitStatus(rawValue: 128 + signal) ?? .interrupted
        case .csvWriteFailed, .summaryWriteFailed: self = .csvWriteFailed
        case .system, .labSetup: self = .systemResource
        case .noPrivilege: self = .noPrivilege
        case .usage: self = .usage
        }
    }

    /// The status of a merge that could not be made.
    init(of failure: MergeFailure) {
        switch failure {
        case .noInput: self = .noInput
        case .badData: self = .dataError
        case .cannotCreate: self = .cannotCreateCSV
        }
    }

    /// The status of a finished run when it is not 0: a failed CSV write, else a signal that ended it (128 +
    /// its number), else a failed threshold.
    init?(of result: RunResult) {
        if result.csvWriteError != nil || result.summaryWriteError != nil {
            self = .csvWriteFailed
        } else if let signal = result.signal {
            self = ExitStatus(rawValue: 128 + signal) ?? .interrupted
        } else if !result.thresholdsHeld {
            self = .thresholdFailed
        } else {
            return nil
        }
    }

    /// One line of `twload --help`, short enough for 80 columns (the README's table says more).
    var meaning: String {
        switch self {
        case .thresholdFailed:
            "a threshold failed or was N/A, check predicts exhaustion or collapse, or find's --min failed"
        case .partialMerge: "merge: partial: an agent is missing, stopped early or failed"
        case .usage: "a bad option, value or profile"
        case .dataError: "plot, merge: an input is malformed or has no rows (file:line)"
        case .noInput: "plot, merge: an input file or folder cannot be read"
        case .systemResource:
            "a system resource was refused (eventfd, threads, RLIMIT_NOFILE, a bind, a lab topology's ip or nft)"
        case .cannotCreateCSV: "the CSV, plot or merge output cannot be created (FIFO unread, stdout closed)"
        case .csvWriteFailed: "writing the CSV failed mid-run; the file ends on its last whole row"
        case .startedLate: "an agent started later after --start-at than --max-late"
        case .noPrivilege: "lab cannot create a network namespace"
        case .interrupted: "run or lab stopped by SIGINT, after the last row and the summary"
        case .quit: "run or lab stopped by SIGQUIT, after the last row and the summary"
        case .terminated: "run or lab stopped by SIGTERM, after the last row and the summary"
        }
    }

    /// The "EXIT STATUS" section of `twload --help`: 0, then every case, one line each.
    static var helpSection: String {
        let success = "  0    success (serve and watch: also when a signal stops them)"
        let lines = allCases.map { status in
            let number = String(status.rawValue)
            return "  " + number + String(repeating: " ", count: 5 - number.count) + status.meaning
        }
        return (["EXIT STATUS:", success] + lines).joined(separator: "\n")
    }
}
