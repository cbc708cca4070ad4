import TwloadModel

/// The four panels of a `twload run` CSV, sharing the time axis: rates, TIME_WAIT, latency (log) and
/// errors (stacked). Columns are read by header name; an absent column is not drawn.
enum RunPlot {
    /// The rate panel's columns: (column, legend, colour). `target_rate` is already per second; the counts
    /// are divided by their row's interval length.
    static let rateColumns = [
        ("target_rate", "target rate", Palette.grey), ("attempted", "attempted", Palette.blue),
        ("established", "established", Palette.green), ("missed", "missed", Palette.red),
    ]
    /// A level (attempts due but not started at the row's end), so on its own axis rather than per second.
    static let backlogColumn = "backlog"
    static let timeWaitColumns = [
        ("tw_client", "client (tw_client)", Palette.blue), ("tw_server", "server (tw_server)", Palette.orange),
        ("tw_total", "namespace (tw_total)", Palette.grey),
    ]
    static let latencyColumns = [
        ("connect_p50_us", "connect p50 (from schedule)", Palette.green),
        ("connect_p99_us", "connect p99 (from schedule)", Palette.blue),
        ("connect_call_p99_us", "connect() call p99", Palette.purple),
        ("lag_p99_us", "start lag p99", Palette.orange),
        ("response_p99_us", "response p99", Palette.brown),
    ]
    /// Bottom of the stack first.
    static let errorColumns = [
        "eaddrnotavail", "eaddrinuse", "econnrefused", "etimedout", "econnreset", "emfile", "other_errors",
        "enetunreach", "ehostunreach", "unexpected_status",
    ]

    /// Every column a run plot may draw, for a test that compares them with twload's declared columns.
    static var columns: [String] {
        rateColumns.map(\.0) + [backlogColumn] + timeWaitColumns.map(\.0) + latencyColumns.map(\.0) + errorColumns
            + ["elapsed_s"]
    }

    /// The four panels; `rateLines` are horizontal lines for the rates panel (a find's result).
    static func panels(
        _ table: CSVTable, timeline: Timeline, summary: RunSummary?, rateLines: [ReferenceLine] = []
    ) throws(PlotError) -> [Panel] {
        let times = timeline.times
        let lengths = timeline.lengths
        /// A count per second of its row's interval; nil where the interval has no length.
        func perSecond(_ values: [Double?]) -> [Double?] {
            zip(values, lengths).map { v, dt in v.flatMap { dt > 0 ? $0 / dt : nil } }
        }

        // 1. Rates.
        var rates: [Series] = []
        for (column, label, color) in rateColumns {
            guard let values = try table.numbers(column) else { continue }
            // A closed loop (`--concurrency`) has no target rate: its empty column gets no legend entry.
            if column == "target_rate" && values.allSatisfy({ $0 == nil }) { continue }
            rates.append(
                Series(
                    column: column, label: label, color: color,
                    values: column == "target_rate" ? values : perSecond(values),
                    style: column == "target_rate" ? .dashed : .line))
        }
        var secondary: SecondaryAxis? = nil
        if let backlog = try table.numbers(backlogColumn) {
            secondary = SecondaryAxis(
                label: "backlog (attempts)", scale: .linear(to: maximum([backlog])),
                series: [
                    Series(
                        column: backlogColumn, label: "backlog (right axis)", color: Palette.brown,
                        values: backlog, style: .dashed)
                ])
        }
        let highestRate = maximum(rates.map(\.values))
        let ratePanel = Panel(
            id: "rate", title: "Connections per second (counts ÷ their interval)", yLabel: "per second",
            scale: .linear(to: rateLines.map(\.value).max().map { max(highestRate, $0) } ?? highestRate),
            series: rates, references: rateLines, secondary: secondary)

        // 2. TIME_WAIT, with the predicted plateaus.
        var timeWait: [Series] = []
        for (column, label, color) in timeWaitColumns {
            guard let values = try table.numbers(column) else { continue }
            timeWait.append(Series(column: column, label: label, color: color, values: values))
        }
        var plateaus: [ReferenceLine] = []
        if let v = summary?.finite("predicted_steady_tw_client") {
            plateaus.append(ReferenceLine(value: v, label: "client plateau, predicted", color: Palette.blue))
        }
        if let v = summary?.finite("predicted_steady_tw_server") {
            plateaus.append(ReferenceLine(value: v, label: "server plateau, predicted", color: Palette.orange))
        }
        let timeWaitPanel = Panel(
            id: "time-wait", title: "TIME_WAIT sockets", yLabel: "sockets",
            scale: .linear(to: max(maximum(timeWait.map(\.values)), plateaus.map(\.value).max() ?? 0)),
            series: timeWait, references: plateaus)

        // 3. Latency, log scale; values under 1 µs sit on the axis floor.
        var latency: [Series] = []
        for (column, label, color) in latencyColumns {
            guard let values = try table.numbers(column) else { continue }
            latency.append(Series(column: column, label: label, color: color, values: values))
        }
        let positive = latency.flatMap { $0.values.compactMap { $0 } }.filter { $0 > 0 }
        let latencyPanel = Panel(
            id: "latency", title: "Latency (log scale)", yLabel: "µs (log)",
            scale: .log(from: positive.min() ?? 1, to: max(positive.max() ?? 1, Markers.slowConnectCallMicros)),
            tickUnit: .microseconds, series: latency,
            references: [
                ReferenceLine(
                    value: Markers.slowConnectCallMicros, label: "1 ms: slow connect()",
                    color: Palette.grey)
            ])

        // 4. Errors per second by errno, stacked; an empty cell is a gap in its layer and adds nothing below
        // the layers above it.
        var errors: [Series] = []
        var lower = [Double](repeating: 0, count: times.count)
        for (n, column) in errorColumns.enumerated() {
            guard let counts = try table.numbers(column) else { continue }
            let rates = perSecond(counts)
            let total = counts.reduce(0) { $0 + ($1 ?? 0) }
            errors.append(
                Series(
                    column: column, label: "\(column) (\(Int(total)))", color: Palette.cycle[n % Palette.cycle.count],
                    values: rates, style: .band(lower: lower)))
            for i in lower.indices { lower[i] += rates[i] ?? 0 }
        }
        let errorPanel = Panel(
            id: "errors", title: "Errors per second by errno (stacked; run totals in the legend)",
            yLabel: "errors per second", scale: .linear(to: lower.max() ?? 0), series: errors,
            zeroNote: "no errors")
        return [ratePanel, timeWaitPanel, latencyPanel, errorPanel]
    }

    /// The largest value of any of the series (0 when none has a value).
    static func maximum(_ series: [[Double?]]) -> Double {
        series.joined().compactMap { $0 }.max() ?? 0
    }
}
