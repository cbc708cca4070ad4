import TwloadModel

/// One probe of a `twload find` CSV: its number, its rows, and where it starts on the search's time axis.
struct ProbeSpan: Sendable, Equatable {
    /// The `probe` cell (1-based).
    let number: Int
    /// Its rows, as indices into the table.
    let rows: Range<Int>
    /// Where it starts on the axis, in seconds since the search began.
    let start: Double
    /// Its first row's `target_rate` (a probe's rate is constant), when the CSV has one.
    let targetRate: Double?
}

/// The probes of a `twload find` CSV laid one after another on one time axis. Within a probe `elapsed_s`
/// restarts from the probe's own start, while `unix_ms` is the wall clock all along: a probe starts at its
/// first row's `unix_ms` ÷ 1000 − `elapsed_s`, and is placed that long after the first probe's start, so the
/// pauses between probes show as gaps. A probe never starts before the one before it ended (wall clock
/// jitter cannot fold one over the other), and a probe without `unix_ms` follows the one before it directly.
struct ProbeLayout: Sendable, Equatable {
    /// The column a `twload find` CSV has beyond a run's: the probe's number, 1-based and in order.
    static let column = "probe"

    let probes: [ProbeSpan]
    let timeline: Timeline
    /// Remarks that are not errors, e.g. probes placed without their gap for want of `unix_ms`.
    let notes: [String]

    /// Whether the CSV is a `twload find` CSV: told by its `probe` column.
    static func isFind(_ table: CSVTable) -> Bool { table.has(column) }

    /// Lays out `table`'s probes; `elapsed` is its `elapsed_s` column. A `probe` cell that is not a positive
    /// integer, or a probe number lower than the row before's, is an error naming the row's line.
    init(_ table: CSVTable, elapsed: [Double]) throws(PlotError) {
        let numbers = try Self.probeNumbers(table)
        let unixMs = try table.numbers("unix_ms")
        let targetRates = try table.numbers("target_rate")
        var notes: [String] = []
        if unixMs == nil {
            notes.append("\(table.file): no unix_ms column: the probes are laid end to end, without their gaps")
        }
        var probes: [ProbeSpan] = []
        var times = [Double](repeating: 0, count: elapsed.count)
        var lengths = [Double](repeating: 0, count: elapsed.count)
        var starts = [Double](repeating: 0, count: elapsed.count)
        /// The first probe with a wall clock: its start in ms and its place on the axis.
        var anchor: (wallMs: Double, at: Double)? = nil
        var first = 0
        while first < numbers.count {
            var end = first + 1
            while end < numbers.count, numbers[end] == numbers[first] { end += 1 }
            let previousEnd = probes.isEmpty ? 0 : times[first - 1]
            let wallMs = unixMs?[first].map { $0 - elapsed[first] * 1000 }
            var start = previousEnd
            if let wallMs, let anchor {
                start = max(anchor.at + (wallMs - anchor.wallMs) / 1000, previousEnd)
            } else if !probes.isEmpty, unixMs != nil {
                notes.append(
                    "\(table.file):\(table.lineNumber(first)): probe \(numbers[first]) has no wall clock to place it "
                        + "by: laid right after probe \(numbers[first - 1]), without the gap between them")
            }
            if anchor == nil, let wallMs { anchor = (wallMs, start) }
            for i in first..<end {
                times[i] = start + elapsed[i]
                lengths[i] = i == first ? elapsed[i] : elapsed[i] - elapsed[i - 1]
                starts[i] = i == first ? start : times[i - 1]
            }
            probes.append(
                ProbeSpan(
                    number: numbers[first], rows: first..<end, start: start, targetRate: targetRates?[first] ?? nil))
            first = end
        }
        self.probes = probes
        self.notes = notes
        timeline = Timeline(
            times: times, lengths: lengths, starts: starts,
            segmentStarts: Set(probes.dropFirst().map(\.rows.lowerBound)))
    }

    /// The `probe` column as numbers: each a positive integer, none lower than the one before.
    static func probeNumbers(_ table: CSVTable) throws(PlotError) -> [Int] {
        guard let column = table.columnIndex(Self.column) else { return [] }
        var numbers: [Int] = []
        numbers.reserveCapacity(table.rowCount)
        for row in 0..<table.rowCount {
            let cell = table.cell(row, column)
            guard cell.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }), let n = Int(cell), n > 0
            else {
                let shown = cell.count > 24 ? cell.prefix(24) + "…" : cell
                throw PlotError(
                    file: table.file, line: table.lineNumber(row), "probe: '\(shown)' is not a positive integer")
            }
            if let previous = numbers.last, n < previous {
                throw PlotError(
                    file: table.file, line: table.lineNumber(row),
                    "probe \(n) after probe \(previous): the probes must be in order")
            }
            numbers.append(n)
        }
        return numbers
    }
}
