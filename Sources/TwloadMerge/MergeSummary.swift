import TwloadModel
import TwloadReport

/// One expected agent, as the merge found it.
public struct AgentStatus: Sendable {
    public var index: Int
    /// Where its files were; nil when none were found.
    public var folder: String?
    /// CSV rows, and the last interval it reported (nil: none).
    public var rows: Int
    public var lastInterval: Int?
    /// From its manifest; nil when it has none.
    public var exitReason: String?
    public var lateSeconds: Double?
    public var synchronised: Bool?
    public var estimatedErrorMicros: Int?
}

/// What a merge found and how complete it is: the merged summary's content (stderr text and JSON).
public struct MergeSummary: Sendable {
    public var runID: String
    public var intervalSeconds: Double
    public var agentsExpected: Int
    public var agents: [AgentStatus]
    /// Merged rows (intervals 0 through the last any agent reported).
    public var intervals: Int
    /// Why the result is partial: a missing agent, one that stopped early or failed, a missing histogram.
    /// Empty for a complete merge. Nothing is rescaled to hide it: the rows say `agents_reporting`.
    public var partialReasons: [String]
    public var warnings: [String]
    /// Each merged column over all intervals: counts summed, gauges at their peak, latencies from every
    /// agent's histograms of every interval added together.
    public var totals: [(name: String, unit: MetricUnit, aggregate: String, value: String)]
    public var watchFiles: [String]

    public var isPartial: Bool { !partialReasons.isEmpty }

    /// Agents that reported at least one interval.
    public var agentsReporting: Int { agents.filter { $0.rows > 0 }.count }

    /// The value of a total by column name ("" when absent or not measured).
    public func total(_ name: String) -> String { totals.first { $0.name == name }?.value ?? "" }

    /// The lines `twload merge` prints on stderr.
    public var text: String {
        var lines = [
            "twload merge: run \(runID), \(agentsReporting) of \(agentsExpected) agents, \(intervals) intervals of "
                + "\(NumberText.rate(intervalSeconds)) s: " + (isPartial ? "PARTIAL" : "complete")
        ]
        lines.append(
            "  attempted \(total("attempted")), established \(total("established")), failed \(total("failed"))"
                + " (eaddrnotavail \(total("eaddrnotavail")), etimedout \(total("etimedout")), econnrefused "
                + "\(total("econnrefused"))), missed \(total("missed")), late_skipped \(total("late_skipped"))")
        if !total("connect_p50_us").isEmpty {
            lines.append(
                "  connect from schedule over the run: p50 \(total("connect_p50_us")) us, p99 "
                    + "\(total("connect_p99_us")) us, max \(total("connect_max_us")) us (the agents' histograms "
                    + "added bucket by bucket)")
        }
        for r in partialReasons { lines.append("  partial: " + r) }
        for w in warnings { lines.append("  warning: " + w) }
        return lines.joined(separator: "\n") + "\n"
    }
}
