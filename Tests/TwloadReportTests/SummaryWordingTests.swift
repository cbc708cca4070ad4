import Testing
import TwloadModel
import TwloadStats

@testable import TwloadReport

/// The summary's sentences read as English for any count: one connection, one port per second, and a
/// budget too small for a whole connection per second.
@Suite struct SummaryWordingTests {
    /// The "why:" line of a run of one row whose counters `configure` sets.
    private func why(portsPerAddress: Int? = nil, _ configure: (inout IntervalCounters) -> Void) -> String {
        var c = IntervalCounters()
        configure(&c)
        var t = RunTotals(intervalSeconds: 1, scheduledSeconds: 1)
        t.add(
            IntervalRow(
                elapsedSeconds: 1, unixMillis: 1_700_000_000_000, targetRate: 100, counters: c,
                latency: LatencyHistograms(), open: 0, timeWait: TimeWaitCounts(), server: nil, isFinal: true))
        let d = RunDescription(
            target: "127.0.0.1:8080", builtinServer: true, rate: 100, close: .client, linger: .off,
            portsPerAddress: portsPerAddress, sourceAddressCount: 1)
        let report = SummaryReport.render(t, d)
        return report.split(separator: "\n").map { $0.drop(while: { $0 == " " }) }.first { $0.hasPrefix("why:") }
            .map(String.init) ?? ""
    }

    private func exhausted(_ c: inout IntervalCounters) {
        c.attempted = 100
        c.failed = 10
        c.eaddrnotavail = 10
        c.firstEaddrnotavailNanos = 1_000_000_000
    }

    @Test func aHundredPortsSustainAFractionOfAConnectionPerSecondNotOne() {
        // The probe: "100 ports ÷ 60 s ≈ 1 connections/s", an integer division and a plural.
        let text = why(portsPerAddress: 100, exhausted)
        #expect(text.contains("100 ports ÷ 60 s ≈ 1.7 connections/s sustainable"), "\(text)")
    }

    @Test func sixtyPortsSustainOneConnectionPerSecondInTheSingular() {
        let text = why(portsPerAddress: 60, exhausted)
        #expect(text.contains("60 ports ÷ 60 s ≈ 1 connection/s sustainable"), "\(text)")
    }

    @Test func theDefaultRangeStillReadsAsWholeConnectionsPerSecond() {
        let text = why(portsPerAddress: 28232, exhausted)
        #expect(text.contains("28232 ports ÷ 60 s ≈ 470 connections/s sustainable"), "\(text)")
    }

    @Test func oneRefusedConnectionIsSingular() {
        let text = why {
            $0.attempted = 1
            $0.failed = 1
            $0.econnrefused = 1
        }
        #expect(text.hasPrefix("why: the server refused or reset connections: 1 connection refused (ECONNREFUSED"))
    }

    @Test func oneUnfinishedConnectionWasStillOpen() {
        let text = why {
            $0.attempted = 1
            $0.established = 1
            $0.unfinished = 1
        }
        #expect(text.contains("1 of 1 connection was still open when the drain ended and was closed"), "\(text)")
    }
}
