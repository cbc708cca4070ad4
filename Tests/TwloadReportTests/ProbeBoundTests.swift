import Testing
import TwloadCensus
import TwloadModel
import TwloadStats

@testable import TwloadReport

/// What bounded a `twload find` probe that did not hold.
@Suite struct ProbeBoundTests {
    /// One 1 s row of `attempted` at 100/s with the counters `configure` sets, a lag and SYN retransmissions.
    func totals(
        lagMicros: UInt64 = 50, synRetrans: Int = 0, connectMicros: UInt64 = 200,
        _ configure: (inout IntervalCounters) -> Void = { _ in }
    ) -> RunTotals {
        var t = RunTotals(intervalSeconds: 1, scheduledSeconds: 1)
        var c = IntervalCounters()
        c.attempted = 100
        c.established = 100
        c.completed = 100
        configure(&c)
        var l = LatencyHistograms()
        _ = l.lag.record(lagMicros, count: 100)
        _ = l.connect.record(connectMicros, count: 100)
        t.add(
            IntervalRow(
                elapsedSeconds: 1, unixMillis: 0, targetRate: 100, counters: c, latency: l, open: 0,
                timeWait: TimeWaitCounts(client: 0), server: nil, isFinal: true,
                tcpDelta: TcpCounters(expired: 0, recycled: 0, overflow: 0, synRetrans: synRetrans)))
        return t
    }

    func description(target: String) -> RunDescription {
        RunDescription(
            target: target, builtinServer: false, rate: 100, close: .client, linger: .off, portsPerAddress: 28232,
            sourceAddressCount: 1)
    }

    @Test func eaddrnotavailIsThisHostsPortsWithItsCountAndOnset() {
        let t = totals {
            $0.eaddrnotavail = 40
            $0.failed = 40
            $0.firstEaddrnotavailNanos = 2_500_000_000
        }
        let (bound, evidence) = ProbeBound.of(t, description(target: "10.0.0.2:80"))
        #expect(bound == .hostPorts)
        #expect(evidence == "40 EADDRNOTAVAIL from 2.50 s")
    }

    @Test func loopLagWithoutFailuresIsThisHostsCPU() {
        let (bound, evidence) = ProbeBound.of(
            totals(lagMicros: 28_000) { $0.missed = 5 }, description(target: "10.0.0.2:80"))
        #expect(bound == .hostCPU)
        #expect(evidence.hasPrefix("loop lag p99 28") && evidence.hasSuffix("ms, 5 missed"), "\(evidence)")
    }

    @Test func unansweredSynsAreThePathUnlessTheTargetIsLoopback() {
        let t = totals(synRetrans: 300, connectMicros: 1_200_000) {
            $0.connectTimeouts = 20
            $0.etimedout = 20
            $0.failed = 20
            $0.established = 80
        }
        let remote = ProbeBound.of(t, description(target: "10.0.0.2:80"))
        #expect(remote.bound == .path)
        #expect(remote.evidence == "20 connect timeouts, 300 SYN retransmissions")
        // On loopback nothing lies between: the server's listener dropped the SYNs.
        let local = ProbeBound.of(t, description(target: "127.0.0.1:18181"))
        #expect(local.bound == .server)
        #expect(local.evidence.hasSuffix("on loopback: the server's listener dropped SYNs"))
        #expect(ProbeBound.of(t, description(target: "[::1]:80")).bound == .server)
    }

    @Test func refusalsAreTheServer() {
        let t = totals {
            $0.econnrefused = 100
            $0.failed = 100
            $0.established = 0
        }
        let (bound, evidence) = ProbeBound.of(t, description(target: "10.0.0.2:80"))
        #expect(bound == .server)
        #expect(evidence == "100 refused")
    }
}
