import TwloadConfig
import TwloadModel
import TwloadReport
import TwloadSystem

/// One probe of a `twload find` search: a constant rate held for the dwell (or the confirmation's
/// duration), judged by the criteria on its own rows.
public struct ProbeOutcome: Sendable {
    /// Why the probe ran: a step of the search, or the confirmation of the sustainable rate.
    public enum Role: String, Sendable { case search, confirm }

    /// The probe's number, from 1: its rows' `probe` cell.
    public var index: Int
    public var role: Role
    public var rate: Double
    public var seconds: Double
    /// Every criterion passed (an N/A one does not), and no signal cut the probe short.
    public var held: Bool
    /// The run behind the probe: its totals, description, criteria verdicts and signal.
    public var run: RunResult
    /// What bounded the probe when it did not hold, and the figures that show it; nil when it held.
    public var bound: ProbeBound?
    public var evidence: String?
    /// How long the search waited before the probe for the previous probes' TIME_WAIT to expire.
    public var waitedSeconds: Double

    init(index: Int, role: Role, rate: Double, seconds: Double, run: RunResult, waitedSeconds: Double) {
        self.index = index
        self.role = role
        self.rate = rate
        self.seconds = seconds
        self.run = run
        self.waitedSeconds = waitedSeconds
        held = run.thresholdsHeld && run.signal == nil
        if !held {
            let (bound, evidence) = ProbeBound.of(run.totals, run.description)
            self.bound = bound
            self.evidence = evidence
        }
    }

    /// The criteria that did not pass, as written.
    public var failedCriteria: [String] {
        run.thresholds.filter { $0.verdict != .pass }.map(\.line)
    }
}

/// A finished (or interrupted) `twload find`: every probe, the highest rate that held for the dwell and
/// what bounded the search above it, the rate sustainable indefinitely, and its confirmation.
public struct FindResult: Sendable {
    public var probes: [ProbeOutcome] = []
    /// The highest rate that held for the dwell; nil when even the minimum failed (or nothing ran).
    public var maximum: Double?
    /// Whether the maximum is `--max` itself, which held: the capacity lies above it.
    public var heldAtMaximum = false
    /// The lowest failed search probe above the maximum: what bounded the search.
    public var limitingProbe: ProbeOutcome?
    /// The rate the port budget sustains indefinitely; nil without a maximum.
    public var sustained: SustainedRate?
    /// The confirmation probes (`--confirm`), in order: the sustainable rate, then 5 % and 10 % lower while
    /// they fail.
    public var confirmations: [ProbeOutcome] { probes.filter { $0.role == .confirm } }
    /// The signal that stopped the search.
    public var signal: Int32?
    /// The CSV write that failed and stopped the search.
    public var csvWriteError: SystemError?
    public var summaryWriteError: SystemError?

    /// The rate a confirmation held, when one did.
    public var confirmedRate: Double? { confirmations.last(where: \.held)?.rate }
}
