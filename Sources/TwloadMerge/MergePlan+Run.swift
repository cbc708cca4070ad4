import TwloadHistogramLog
import TwloadModel
import TwloadReport
import TwloadStats

extension MergePlan {
    /// Merges every interval, then states what is missing.
    func run() throws(MergeFailure) -> MergedRun {
        var out =
            (columns.map(\.name) + ["run_id", "interval_index", "agents_reporting"] + watchColumns.map(\.name))
            .joined(separator: ",") + "\n"
        let origin = fleet.originUnixNanos ?? 0
        var logTexts = logNames.map { _ in
            HistogramLogWriter.header(
                unixSeconds: origin / 1_000_000_000, nanoseconds: Int32(origin % 1_000_000_000))
        }
        var totals = columns.map { _ in ColumnTotal() }
        var runLatency = LatencyHistograms()
        var partial: [String] = []
        let intervalNanos = Int64((fleet.intervalSeconds * 1e9).rounded())
        for i in 0..<(lastIndex + 1) {
            let reporting = agents.indices.filter { rowOf[$0][i] >= 0 }
            let (latency, lengths) = try histograms(interval: i, reporting: reporting, partial: &partial)
            runLatency.merge(latency)
            var cells: [String] = []
            cells.reserveCapacity(columns.count + 3 + watchColumns.count)
            for (c, column) in columns.enumerated() {
                let cell = try merged(column, interval: i, reporting: reporting, latency: latency)
                totals[c].add(cell)
                cells.append(cell)
            }
            cells += [fleet.runID, String(i), String(reporting.count)]
            for w in watchColumns {
                let r = watchRowOf[w.table][i]
                cells.append(r >= 0 ? String(watchTables[w.table].cell(r, w.column)) : "")
            }
            out += cells.joined(separator: ",") + "\n"
            for (n, name) in logNames.enumerated() {
                do {
                    logTexts[n] += try HistogramLogWriter.intervalLine(
                        startNanos: Int64(i) * intervalNanos, lengthNanos: lengths[name] ?? intervalNanos,
                        histogram: latency[logName: name] ?? .unallocated(highest: LatencyHistograms.highestMicros))
                } catch {
                    throw .badData(DataFileError(file: "merge", "encoding the merged \(name) histogram: \(error)"))
                }
            }
        }
        var summary = MergeSummary(
            runID: fleet.runID, intervalSeconds: fleet.intervalSeconds, agentsExpected: fleet.expected,
            agents: statuses(), intervals: lastIndex + 1, partialReasons: [], warnings: warnings,
            totals: zip(columns, totals).map { column, total in
                let unit = column.metric?.unit ?? .count
                if case .latency(let read) = column.metric?.merge {
                    return (column.name, unit, "run", read(runLatency).map(String.init) ?? "")
                }
                let (aggregate, text) = total.value(unit: unit, rule: column.metric?.merge)
                return (column.name, unit, aggregate, text)
            }, watchFiles: watchTables.map(\.file))
        summary.partialReasons = partialReasons(summary.agents) + partial
        return MergedRun(csv: out, logs: Array(zip(logNames, logTexts)).map { ($0, $1) }, summary: summary)
    }

    /// The interval's histograms of every reporting agent, added bucket by bucket, and each log's longest
    /// interval length (the final interval holds the drain). A reporting agent without that interval's
    /// line in a log another agent has makes the merge partial.
    func histograms(
        interval i: Int, reporting: [Int], partial: inout [String]
    ) throws(MergeFailure) -> (LatencyHistograms, [String: Int64]) {
        var sum = LatencyHistograms.unallocated()
        var lengths: [String: Int64] = [:]
        for name in logNames {
            // Starts without bucket storage, which grows to the highest bucket added: an empty full-range
            // histogram would be 184 KiB of zeros to clear per latency and interval.
            var h = LatencyHistogram.unallocated(highest: LatencyHistograms.highestMicros)
            for a in reporting {
                let e = entryOf[a][name]?[i] ?? -1
                guard e >= 0, let entry = agents[a].logs[name]?.entries[e] else {
                    partial.append("agent \(agents[a].index) has a row but no \(name) histogram for interval \(i)")
                    continue
                }
                do {
                    try entry.add(into: &h)
                } catch {
                    throw .badData(
                        DataFileError(
                            file: AgentFiles.path(in: agents[a].folder, agent: agents[a].index, .hlog(name)),
                            line: entry.line,
                            "\(error)"))
                }
                lengths[name] = max(lengths[name] ?? 0, Int64((entry.lengthSeconds * 1e9).rounded()))
            }
            sum[logName: name] = h
        }
        return (sum, lengths)
    }

    /// One merged cell: the reporting agents' cells combined by the column's rule.
    func merged(
        _ column: (name: String, metric: Metric?, source: [Int?]), interval i: Int, reporting: [Int],
        latency: LatencyHistograms
    ) throws(MergeFailure) -> String {
        switch column.metric?.merge ?? .sum {
        case .latency(let read):
            return logNames.isEmpty ? "" : read(latency).map(String.init) ?? ""
        case .sum:
            var sum = DecimalSum()
            for a in reporting {
                guard let c = column.source[a], let table = agents[a].table else { continue }
                let row = rowOf[a][i]
                guard sum.add(table.cell(row, c)) else { throw notANumber(table, row: row, column.name) }
            }
            return sum.text
        case .maximum:
            var best: (Double, Substring)?
            for a in reporting {
                guard let c = column.source[a], let table = agents[a].table else { continue }
                let cell = table.cell(rowOf[a][i], c)
                if cell.isEmpty { continue }
                guard let v = Double(cell) else { throw notANumber(table, row: rowOf[a][i], column.name) }
                if best == nil || v > best!.0 { best = (v, cell) }
            }
            return best.map { String($0.1) } ?? ""
        }
    }

    func notANumber(_ table: CSVTable, row: Int, _ name: String) -> MergeFailure {
        .badData(
            DataFileError(
                file: table.file, line: table.lineNumber(row),
                "\(name): '\(table.cell(row, table.columnIndex(name)!))' "
                    + "is not a number"))
    }

    /// Each expected agent as found.
    func statuses() -> [AgentStatus] {
        (0..<fleet.expected).map { index in
            guard let a = agents.first(where: { $0.index == index }) else {
                return AgentStatus(index: index, folder: nil, rows: 0, lastInterval: nil)
            }
            return AgentStatus(
                index: index, folder: a.folder, rows: a.intervalIndexes.count, lastInterval: a.intervalIndexes.last,
                exitReason: a.manifest?.exitReason, lateSeconds: a.manifest?.lateSeconds,
                synchronised: a.manifest?.synchronised, estimatedErrorMicros: a.manifest?.estimatedErrorMicros)
        }
    }

    /// Why the merge is partial, agent by agent (nothing is rescaled: `agents_reporting` shows it per row).
    func partialReasons(_ statuses: [AgentStatus]) -> [String] {
        var reasons: [String] = []
        for s in statuses {
            guard let folder = s.folder else {
                reasons.append("agent \(s.index): no files found")
                continue
            }
            if s.rows == 0 { reasons.append("agent \(s.index): no rows in \(folder)") }
            switch s.exitReason {
            case nil:
                reasons.append(
                    "agent \(s.index): no agent-\(s.index).json, or an empty one: it was stopped before it finished "
                        + "(killed?)")
            case "completed": break
            case let reason?: reasons.append("agent \(s.index): ended with exit reason '\(reason)'")
            }
            if let last = s.lastInterval, last < lastIndex {
                reasons.append(
                    "agent \(s.index): no rows after interval \(last): agents_reporting drops from interval \(last + 1)"
                )
            } else if s.rows > 0, s.rows < (s.lastInterval ?? 0) + 1 {
                reasons.append("agent \(s.index): \((s.lastInterval ?? 0) + 1 - s.rows) intervals missing")
            }
        }
        return reasons
    }
}

/// One merged column over all intervals, for the summary: counts summed, times at their last value, gauges
/// and rates at their peak (latencies are computed from the run's histograms instead).
struct ColumnTotal {
    var sum = DecimalSum()
    var peak: (Double, String)?
    var last = ""

    mutating func add(_ cell: String) {
        guard !cell.isEmpty else { return }
        sum.add(Substring(cell))
        if let v = Double(cell), peak == nil || v > peak!.0 { peak = (v, cell) }
        last = cell
    }

    /// The aggregate a column of `unit` merged by `rule` gets, and its value.
    func value(unit: MetricUnit, rule: MergeRule?) -> (aggregate: String, text: String) {
        if case .maximum = rule { return ("last", last) }
        return unit == .count ? ("sum", sum.text) : ("peak", peak?.1 ?? "")
    }
}
