import Testing
import TwloadReport

@testable import TwloadPlot

/// The plot reads columns by name, and so must name real ones: each is declared by twload (`MetricTable`,
/// `WatchFormat`) or is one of the columns being added now (issue 15), which a plot draws once they appear.
struct PlottedColumnsTests {
    static let pending: Set<String> = ["backlog", "response_p99_us", "unexpected_status"]

    @Test func everyRunColumnThePlotDrawsIsDeclaredOrPending() {
        let declared = Set(MetricTable.all.filter { $0.cell != nil }.map(\.name))
        for column in RunPlot.columns where !declared.contains(column) {
            #expect(Self.pending.contains(column), "\(column) is neither a declared CSV column nor pending")
        }
    }

    @Test func everyWatchColumnThePlotDrawsIsDeclared() {
        let declared = Set(WatchFormat.columns.map(\.name))
        for column in WatchPlot.columns { #expect(declared.contains(column), "\(column)") }
    }

    @Test func onlyTwloadWatchWritesTheColumnThatTellsAWatchCSV() {
        #expect(!MetricTable.all.contains { $0.name == "tcp_inuse" })
        #expect(WatchFormat.columns.contains { $0.name == "tcp_inuse" })
    }
}
