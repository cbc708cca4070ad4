import TwloadConfig
import TwloadModel
import TwloadSystem

/// What a fleet's agent records about itself for `twload merge` (`run --out DIR`): its place, the run's
/// name, when it started against the shared start, its clock's state and why it ended. The JSON summary
/// in `agent-I.json` carries it as `agent`.
public struct AgentRecord: Sendable {
    public var runID: String
    public var slot: AgentSlot
    /// The shared start, when one was given.
    public var startAt: WallTime?
    /// Interval 0's wall-clock start: `startAt`, or when this agent started alone.
    public var origin: WallTime
    /// How late after the shared start this agent joined (0 when on time).
    public var lateNanos: Int64
    /// The real-time clock's synchronisation when the run started; nil when adjtimex failed (`clockError`).
    public var clock: ClockStatus?
    public var clockError: String?
    /// Why the run ended: `completed`, `signal`, `csv_write_failed` or `late` (it never joined).
    public var exitReason: String = "completed"

    /// The record of a run of `config` that starts as `timing` says, its clock read now.
    init(_ config: RunConfiguration, timing: StartTiming) {
        runID = config.runID ?? "run-\(timing.originWall.unixNanos / 1_000_000_000)"
        slot = config.agent
        startAt = config.startAt
        origin = timing.originWall
        lateNanos = config.startAt == nil ? 0 : timing.lateNanos
        do {
            clock = try ClockStatus.read()
        } catch {
            clockError = "\(error)"
        }
    }

    /// The cells of `AgentFiles.columnNames` for interval `index`.
    func cells(interval index: Int) -> [String] { [runID, String(slot.index), String(index)] }
}
