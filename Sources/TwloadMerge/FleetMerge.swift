import TwloadHistogramLog
import TwloadModel
import TwloadReport
import TwloadStats

/// What `twload merge` produces: the merged CSV, the merged interval logs and the summary.
public struct MergedRun: Sendable {
    /// The header and one row per interval: the agents' columns combined by each column's `MergeRule`,
    /// then `run_id`, `interval_index`, `agents_reporting` and the watch CSVs' columns (`watch_…`).
    public var csv: String
    /// One interval log per latency some agent logged, by name: each interval's histograms of all agents
    /// added bucket by bucket.
    public var logs: [(name: String, text: String)]
    public var summary: MergeSummary
}

/// `twload merge`: joins the agents' rows by `interval_index` (not by wall clock), sums counters exactly,
/// recomputes every latency figure from the agents' histograms added bucket by bucket, and says when the
/// result is partial instead of rescaling it.
public enum FleetMerge {
    /// The columns an agent's CSV adds; the merged CSV has its own.
    static let agentColumns = Set(AgentFiles.columnNames)

    /// Merges the agents found in `folders` and the watch CSVs `watch`; `expect` is the number of agents
    /// (default: what their manifests say).
    public static func merge(folders: [String], watch: [String], expect: Int?) throws(MergeFailure) -> MergedRun {
        let agents = try MergeReading.agents(in: folders)
        let watches = try watch.map { path throws(MergeFailure) in try MergeReading.watch(path) }
        let fleet = try FleetFacts(agents, expect: expect)
        var plan = MergePlan(agents: agents, fleet: fleet)
        plan.alignWatches(watches)
        return try plan.run()
    }
}
