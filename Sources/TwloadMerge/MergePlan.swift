import TwloadHistogramLog
import TwloadModel
import TwloadReport
import TwloadStats

/// The merge of one fleet's files, laid out once (which column of which agent feeds each merged column,
/// which row and log line holds each interval), then run interval by interval, so that only one
/// interval's histograms are decoded at a time.
struct MergePlan {
    let agents: [AgentInput]
    let fleet: FleetFacts
    /// The merged columns from the agents' CSVs, in the first agent's order: the declared metric (nil for a
    /// column this version does not know, which adds up) and each agent's column index.
    var columns: [(name: String, metric: Metric?, source: [Int?])] = []
    /// For each agent, the CSV row of each interval index (-1: none).
    var rowOf: [[Int]] = []
    /// For each agent, the log entry of each interval index by latency name (-1: none).
    var entryOf: [[String: [Int]]] = []
    /// The latencies some agent logged, in `LatencyHistograms.logNames` order.
    var logNames: [String] = []
    /// The last interval index any agent reported (-1: none).
    var lastIndex = -1
    var watchTables: [CSVTable] = []
    /// For each watch table, its row of each interval index (-1: none), and the merged names of its columns.
    var watchRowOf: [[Int]] = []
    var watchColumns: [(name: String, table: Int, column: Int)] = []
    var warnings: [String] = []

    init(agents: [AgentInput], fleet: FleetFacts) {
        self.agents = agents
        self.fleet = fleet
        // What reading noticed without refusing (a torn last line left out, a CSV without rows).
        warnings = fleet.warnings + agents.flatMap(\.notes)
        lastIndex = agents.compactMap { $0.intervalIndexes.last }.max() ?? -1
        let known = Dictionary(
            MetricTable.all.filter { $0.cell != nil }.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var names: [String] = []
        for a in agents {
            for n in a.table?.header ?? [] where !FleetMerge.agentColumns.contains(n) && !names.contains(n) {
                names.append(n)
            }
        }
        columns = names.map { n in (n, known[n], agents.map { $0.table?.columnIndex(n) }) }
        let slots = lastIndex + 1
        rowOf = agents.map { a in
            var rows = Array(repeating: -1, count: slots)
            for (r, i) in a.intervalIndexes.enumerated() { rows[i] = r }
            return rows
        }
        let interval = fleet.intervalSeconds
        logNames = LatencyHistograms.logNames.filter { n in agents.contains { $0.logs[n] != nil } }
        entryOf = agents.map { a in
            var byName: [String: [Int]] = [:]
            for (name, log) in a.logs {
                var entries = Array(repeating: -1, count: slots)
                for (e, entry) in log.entries.enumerated() {
                    let i = Int((entry.startSeconds / interval).rounded())
                    if i >= 0 && i < slots { entries[i] = e }
                }
                byName[name] = entries
            }
            return byName
        }
    }

    /// Puts each watch CSV's rows on the fleet's grid by their wall-clock stamp: row k of a watch started at
    /// `--start-at` ends at start + (k+1)·interval, as the agents' rows do.
    mutating func alignWatches(_ tables: [CSVTable]) {
        watchTables = tables
        let slots = lastIndex + 1
        let intervalMillis = fleet.intervalSeconds * 1000
        for (t, table) in tables.enumerated() {
            let prefix = tables.count == 1 ? "watch_" : "watch\(t + 1)_"
            for (c, name) in table.header.enumerated() where name != "elapsed_s" && name != "unix_ms" {
                watchColumns.append((prefix + name, t, c))
            }
            var rows = Array(repeating: -1, count: slots)
            guard let origin = fleet.originUnixNanos, let ms = table.columnIndex("unix_ms") else {
                warnings.append("\(table.file): no agent manifest gives the grid's start; its rows are left out")
                watchRowOf.append(rows)
                continue
            }
            var worst = 0.0
            for r in 0..<table.rowCount {
                guard let stamp = Double(table.cell(r, ms)) else { continue }
                let position = (stamp - Double(origin / 1_000_000)) / intervalMillis - 1
                let i = Int(position.rounded())
                worst = max(worst, abs(position - Double(i)))
                if i >= 0 && i < slots { rows[i] = r }
            }
            if worst > 0.1 {
                warnings.append(
                    "\(table.file): its rows are up to \(NumberText.fixed3(worst * fleet.intervalSeconds)) s off the "
                        + "agents' grid; start twload watch with the agents' --start-at and --interval")
            }
            watchRowOf.append(rows)
        }
    }
}
