import TwloadModel

/// One stage of a schedule with more than one rate (a `--step` list, a `--ramp`, a profile's `schedule`) and
/// what the rows that started in it counted, for the summary's per-stage lines.
public struct StageTotals: Sendable, Equatable {
    public var from: Double
    public var to: Double
    public var seconds: Double
    public var attempted = 0
    public var established = 0
    public var failed = 0
    /// The seconds of rows that started in the stage (a row that straddles two stages counts in the first).
    public var rowSeconds = 0.0

    public init(_ stage: RateSchedule.Stage) {
        from = stage.from
        to = stage.to
        seconds = stage.seconds
    }

    /// "1000/s for 3 s" or "1000→5000/s over 10 s".
    public var label: String {
        from == to
            ? "\(NumberText.rate(from))/s for \(NumberText.compact(seconds)) s"
            : "\(NumberText.rate(from))→\(NumberText.rate(to))/s over \(NumberText.compact(seconds)) s"
    }

    /// "  stage 2, 2000/s for 3 s: attempted 6000, established 6000 (2000.0/s), failed 0".
    public func line(_ index: Int) -> String {
        let rate = rowSeconds > 0 ? NumberText.oneDecimal(Double(established) / rowSeconds) : "-"
        return "  stage \(index + 1), \(label): attempted \(attempted), established \(established) (\(rate)/s), "
            + "failed \(failed)"
    }

    /// The stages of `schedule`, or none for a single constant rate (the summary's totals say it all).
    public static func of(_ schedule: RateSchedule) -> [StageTotals] {
        let stages = schedule.stages
        if stages.count == 1 && stages[0].from == stages[0].to { return [] }
        return stages.map(StageTotals.init)
    }
}
