import TwloadCensus
import TwloadModel
import TwloadStats

/// What a metric's number counts, as the README's tables show it.
public enum MetricUnit: String, Sendable {
    case count
    /// A level read at one moment (the end of an interval), not a sum.
    case gauge
    case seconds = "s"
    case milliseconds = "ms"
    case microseconds = "µs"
    case perSecond = "1/s"
}

/// How `twload merge` combines one interval's cells of a column from several agents (separate hosts).
public enum MergeRule: Sendable {
    /// Counts, and gauges of separate hosts (open connections, TIME_WAIT on each agent), add up.
    case sum
    /// Times (`elapsed_s`, `unix_ms`): the latest of the agents'.
    case maximum
    /// A latency figure: recomputed from the agents' histograms added bucket by bucket, never from the
    /// agents' percentiles (which cannot be combined).
    case latency(@Sendable (LatencyHistograms) -> UInt64?)
}

/// The run as a whole: what a run metric is read from.
public struct RunFigures: Sendable {
    public var totals: RunTotals
    public var description: RunDescription

    public init(totals: RunTotals, description: RunDescription) {
        self.totals = totals
        self.description = description
    }
}

/// One figure twload reports, declared once: its name, unit and one-line meaning, and how to read it from an
/// interval (its CSV cell) and from the whole run (its value for `--fail-on`, profile thresholds and the
/// JSON summary). A metric has one reader or both. The CSV header and rows, the threshold names and the
/// README's tables are all derived from `MetricTable`, so a new column is one declaration there plus its
/// computation.
public struct Metric: Sendable {
    public let name: String
    public let unit: MetricUnit
    /// One line of light Markdown: the README's meaning column.
    public let meaning: String
    /// The CSV cell of an interval's row ("" when not measured, never a fake 0); nil: no CSV column.
    public let cell: (@Sendable (IntervalRow) -> String)?
    /// The value over the whole run; nil: not a run metric. The closure returns nil for a run that could
    /// not measure it, and a threshold on it then reports N/A.
    public let total: (@Sendable (RunFigures) -> Double?)?
    /// Consecutive columns of one family share one README row ("`client_syn_sent` … `client_time_wait`").
    public let family: String?
    /// How `twload merge` combines the column's cells of several agents: by default times take the latest
    /// and everything else adds up.
    public let merge: MergeRule

    public init(
        _ name: String, _ unit: MetricUnit, _ meaning: String, family: String? = nil,
        cell: (@Sendable (IntervalRow) -> String)? = nil, total: (@Sendable (RunFigures) -> Double?)? = nil,
        merge: MergeRule? = nil
    ) {
        self.name = name
        self.unit = unit
        self.meaning = meaning
        self.family = family
        self.cell = cell
        self.total = total
        self.merge = merge ?? (unit == .seconds || unit == .milliseconds ? .maximum : .sum)
    }
}

extension Metric {
    /// A count kept by the workers: per interval in the CSV, summed over the run.
    static func counter(
        _ name: String, _ meaning: String, _ read: @escaping @Sendable (IntervalCounters) -> Int
    )
        -> Metric
    {
        Metric(
            name, .count, meaning, cell: { String(read($0.counters)) }, total: { Double(read($0.totals.counters)) })
    }

    /// A latency figure in microseconds: of the interval in the CSV, of the whole run as a metric; empty or
    /// absent when nothing was recorded.
    static func latency(
        _ name: String, _ meaning: String, _ read: @escaping @Sendable (LatencyHistograms) -> UInt64?
    ) -> Metric {
        Metric(
            name, .microseconds, meaning, cell: { cell(read($0.latency)) },
            total: { read($0.totals.latency).map { Double($0) } }, merge: .latency(read))
    }

    /// A count of the built-in server's: empty (absent over the run) when it does not run.
    static func server(
        _ name: String, _ meaning: String, _ read: @escaping @Sendable (ServerCounters) -> Int
    )
        -> Metric
    {
        Metric(
            name, .count, meaning, cell: { cell($0.server.map(read)) },
            total: { $0.totals.server.map { Double(read($0)) } })
    }

    /// A CSV column only.
    static func column(
        _ name: String, _ unit: MetricUnit, _ meaning: String, family: String? = nil,
        _ cell: @escaping @Sendable (IntervalRow) -> String
    ) -> Metric {
        Metric(name, unit, meaning, family: family, cell: cell)
    }

    /// A run metric only.
    static func run(
        _ name: String, _ unit: MetricUnit, _ meaning: String, _ total: @escaping @Sendable (RunFigures) -> Double?
    ) -> Metric {
        Metric(name, unit, meaning, total: total)
    }

    /// The eight per-state census columns of one socket group ("client_syn_sent" …), one README row.
    static func states(
        _ prefix: String, _ meaning: String, _ read: @escaping @Sendable (IntervalRow) -> StateCounts?
    ) -> [Metric] {
        CensusColumns.states.map { state in
            column("\(prefix)_\(state.suffix)", .gauge, meaning, family: prefix) { cell(read($0).map(state.count)) }
        }
    }

    /// A number, or an empty cell when it was not measured.
    static func cell<T: BinaryInteger>(_ v: T?) -> String { v.map { String($0) } ?? "" }
}
