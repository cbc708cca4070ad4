import TwloadModel

/// The census panels of a `twload watch` CSV: TIME_WAIT over time, the other TCP states per view (client,
/// server or all), the namespace's socket counts and the TIME_WAIT counters. A panel whose columns are all
/// absent is left out.
enum WatchPlot {
    /// A watch CSV is told from a run CSV by its header: only `twload watch` writes `tcp_inuse`.
    static func isWatch(_ table: CSVTable) -> Bool { table.has("tcp_inuse") && !table.has("attempted") }

    /// The seven states besides TIME_WAIT, as the column suffixes.
    static let states = ["syn_sent", "established", "fin_wait1", "fin_wait2", "close_wait", "last_ack", "closing"]
    static let views = [("client", "Client side"), ("server", "Server side"), ("all", "All sockets")]

    /// Every column a watch plot may draw.
    static var columns: [String] {
        ["elapsed_s", "tw_total", "tcp_inuse", "tcp_orphans", "tw_recycled", "tw_overflow", "tcpext_tw"]
            + views.flatMap { v in (states + ["time_wait"]).map { "\(v.0)_\($0)" } }
    }

    static func panels(_ table: CSVTable, times: [Double]) throws(PlotError) -> [Panel] {
        func series(_ specs: [(String, String)]) throws(PlotError) -> [Series] {
            var out: [Series] = []
            for (n, (column, label)) in specs.enumerated() {
                guard let values = try table.numbers(column) else { continue }
                out.append(
                    Series(
                        column: column, label: label, color: Palette.cycle[n % Palette.cycle.count],
                        values: values))
            }
            return out
        }
        var panels: [Panel] = []
        let timeWait = try series(
            [("tw_total", "namespace (tw_total)")] + views.map { ("\($0.0)_time_wait", "\($0.0)_time_wait") })
        panels.append(
            Panel(
                id: "time-wait", title: "TIME_WAIT sockets", yLabel: "sockets",
                scale: .linear(to: RunPlot.maximum(timeWait.map(\.values))), series: timeWait))
        for (view, title) in views {
            let states = try series(states.map { ("\(view)_\($0)", $0) })
            guard !states.isEmpty else { continue }
            panels.append(
                Panel(
                    id: "states-\(view)", title: "\(title): sockets per state (TIME_WAIT above)", yLabel: "sockets",
                    scale: .linear(to: RunPlot.maximum(states.map(\.values))), series: states))
        }
        let namespace = try series([("tcp_inuse", "in use (tcp_inuse)"), ("tcp_orphans", "orphans (tcp_orphans)")])
        if !namespace.isEmpty {
            panels.append(
                Panel(
                    id: "namespace", title: "TCP sockets in the namespace", yLabel: "sockets",
                    scale: .linear(to: RunPlot.maximum(namespace.map(\.values))), series: namespace))
        }
        let lengths = times.indices.map { $0 == 0 ? times[0] : times[$0] - times[$0 - 1] }
        let counters = try series([
            ("tw_recycled", "tw_recycled"), ("tw_overflow", "tw_overflow"),
            ("tcpext_tw", "tcpext_tw"),
        ]).map { s in
            Series(
                column: s.column, label: s.label, color: s.color,
                values: zip(s.values, lengths).map { v, dt in v.flatMap { dt > 0 ? $0 / dt : nil } })
        }
        if !counters.isEmpty {
            panels.append(
                Panel(
                    id: "counters", title: "TIME_WAIT counters per second (deltas ÷ their interval)",
                    yLabel: "per second", scale: .linear(to: RunPlot.maximum(counters.map(\.values))), series: counters)
            )
        }
        return panels
    }
}
