import TwloadModel

/// What the agents must agree on (run, fleet size, interval, grid), checked, with the warnings about their
/// starts and clocks.
struct FleetFacts: Sendable {
    var runID: String
    var expected: Int
    var intervalSeconds: Double
    /// Interval 0's start (Unix ns) on the fleet's grid: the shared start, else the earliest origin.
    var originUnixNanos: Int64?
    var warnings: [String] = []

    init(_ agents: [AgentInput], expect: Int?) throws(MergeFailure) {
        let manifests = agents.compactMap(\.manifest)
        func bad(_ message: String) -> MergeFailure {
            .badData(DataFileError(file: agents.first?.folder ?? "merge", message))
        }
        // The run: every manifest and every CSV's run_id cell names the same one.
        var runIDs: [(String, Int)] = manifests.map { ($0.runID, $0.index) }
        for a in agents {
            if let t = a.table, t.rowCount > 0, let c = t.columnIndex("run_id") {
                runIDs.append((String(t.cell(0, c)), a.index))
            }
        }
        guard let first = runIDs.first else { throw bad("no agent has a manifest or a row: nothing to merge") }
        if let other = runIDs.first(where: { $0.0 != first.0 }) {
            throw bad(
                "agent \(other.1) belongs to run '\(other.0)', agent \(first.1) to '\(first.0)': one run at a time")
        }
        runID = first.0
        // The fleet's size.
        let counts = Set(manifests.map(\.count))
        guard counts.count <= 1 else { throw bad("the agents' manifests disagree on N: \(counts.sorted())") }
        if let n = counts.first, let e = expect, n != e {
            throw bad("--expect \(e), but the agents ran as \(n) (--agent I/\(n))")
        }
        let highest = agents.map(\.index).max() ?? 0
        expected = expect ?? counts.first ?? highest + 1
        if expect == nil && counts.isEmpty {
            warnings.append("no agent-I.json: assuming \(expected) agents (give --expect N)")
        }
        guard highest < expected else { throw bad("agent \(highest) is beyond the \(expected) agents expected") }
        // The interval and the grid.
        let intervals = Set(manifests.map(\.intervalSeconds))
        guard intervals.count <= 1 else { throw bad("the agents' intervals differ: \(intervals.sorted()) s") }
        intervalSeconds = intervals.first ?? Self.intervalFromLogs(agents) ?? 1
        let startAts = Set(manifests.compactMap(\.startAtUnixNanos))
        if startAts.count > 1 {
            warnings.append("the agents were given different --start-at times; rows are joined by interval_index")
        }
        originUnixNanos = startAts.min() ?? manifests.map(\.originUnixNanos).min()
        let tenth = intervalSeconds / 10
        let unsynchronised = manifests.filter { $0.synchronised == false }.map { String($0.index) }
        if !unsynchronised.isEmpty {
            warnings.append(
                "the kernel says the clock of agent\(unsynchronised.count == 1 ? "" : "s") "
                    + unsynchronised.joined(separator: ", ") + " is not synchronised (adjtimex: no NTP or PTP "
                    + "discipline), so their starts may be off by any amount; on one host they share one clock")
        }
        for m in manifests {
            if let o = originUnixNanos, abs(Double(m.originUnixNanos - o) / 1e9) > tenth {
                warnings.append(
                    "agent \(m.index)'s grid starts \(NumberText.fixed3(Double(m.originUnixNanos - o) / 1e9)) s from the "
                        + "fleet's: more than a tenth of the interval")
            }
            if m.lateSeconds > tenth {
                warnings.append(
                    "agent \(m.index) joined \(NumberText.fixed3(m.lateSeconds)) s after --start-at; the arrivals it "
                        + "missed are its late_skipped")
            }
            if m.synchronised != false, let e = m.estimatedErrorMicros, Double(e) / 1e6 > tenth {
                warnings.append(
                    "agent \(m.index)'s clock error is \(NumberText.fixed3(Double(e) / 1e6)) s (adjtimex): more than a "
                        + "tenth of the interval")
            }
        }
    }

    /// The first interval length any agent's log gives, when no manifest does.
    static func intervalFromLogs(_ agents: [AgentInput]) -> Double? {
        for a in agents {
            for (_, log) in a.logs.sorted(by: { $0.key < $1.key }) {
                if let e = log.entries.first, e.lengthSeconds > 0 { return e.lengthSeconds }
            }
        }
        return nil
    }
}
