import Testing
import TwloadModel

@testable import TwloadPlot

/// A `twload watch` CSV gets the census panels instead of the run's four.
struct WatchPlotTests {
    static let states = ["syn_sent", "established", "fin_wait1", "fin_wait2", "close_wait", "last_ack", "closing"]

    @Test func watchCSVIsToldByItsHeaderAndGivesCensusPanels() throws {
        let columns =
            ["unix_ms", "tw_total", "tcp_inuse", "tcp_orphans"] + (Self.states + ["time_wait"]).map { "server_\($0)" }
            + ["tw_recycled", "tw_overflow", "tcpext_tw"]
        let csv = PlotFixtures.csv(columns, rows: 5) { c, r in c.hasSuffix("time_wait") ? String(300 * r) : "1" }
        let out = try Plot.render(csv: csv, csvFile: "server.csv", format: .svg)
        #expect(out.isWatch)
        #expect(out.panelIDs == ["time-wait", "states-server", "namespace", "counters"])
        #expect(out.text.contains("twload watch census"))
        #expect(out.text.contains("data-column=\"server_time_wait\""))
        #expect(out.text.contains("data-column=\"server_close_wait\""))
        #expect(!out.text.contains("states-client"), "no client columns, no client panel")
        #expect(!out.text.contains("EADDRNOTAVAIL"), "a census has no run markers")
    }

    @Test func allView() throws {
        let columns = ["tw_total", "tcp_inuse", "tcp_orphans"] + (Self.states + ["time_wait"]).map { "all_\($0)" }
        let out = try Plot.render(
            csv: PlotFixtures.csv(columns, rows: 3) { _, r in String(r) }, csvFile: "w.csv", format: .html)
        #expect(out.panelIDs == ["time-wait", "states-all", "namespace"])
    }
}
