import Testing
import TwloadCensus
import TwloadReport

/// The CSV of `twload watch`.
struct WatchFormatTests {
    @Test func watchHeaderHasOneStateGroupPerFilter() {
        let both = WatchFormat.header(CensusViews(client: .remotePort(1), server: .localPort(2)))
        #expect(both.contains("client_time_wait") && both.contains("server_time_wait") && !both.contains("all_"))
        let none = WatchFormat.header(CensusViews(all: true))
        #expect(none.hasPrefix("elapsed_s,unix_ms,tw_total,tcp_inuse,tcp_orphans,all_syn_sent,"))
        #expect(
            none.hasSuffix("all_time_wait,tw_recycled,tw_overflow,tcpext_tw,syn_retrans,listen_overflows,listen_drops"))
    }

    @Test func skippedSampleGivesEmptyCellsNotZeros() {
        let views = CensusViews(client: .remotePort(1))
        let row = WatchFormat.row(views, WatchRow(elapsedSeconds: 2, unixMillis: 5, census: nil, delta: nil))
        // tw_total … tcp_orphans, eight client states, three TIME_WAIT counters, three SYN counters: all empty.
        #expect(row == "2.000,5" + String(repeating: ",", count: 3 + 8 + 3 + 3))
    }

    @Test func everyRowHasOneCellPerHeaderColumnForEveryView() {
        for views in [
            CensusViews(all: true), CensusViews(client: .remotePort(1)), CensusViews(server: .localPort(2)),
            CensusViews(client: .remotePort(1), server: .localPort(2)),
        ] {
            let header = WatchFormat.header(views).split(separator: ",", omittingEmptySubsequences: false)
            let row = WatchFormat.row(views, WatchRow(elapsedSeconds: 1, unixMillis: 1, census: nil, delta: nil))
            #expect(row.split(separator: ",", omittingEmptySubsequences: false).count == header.count)
            #expect(Set(header).count == header.count)
        }
    }
}
