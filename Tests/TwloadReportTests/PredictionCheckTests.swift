import Testing
import TwloadCensus
import TwloadModel
import TwloadStats

@testable import TwloadReport

/// The prediction for 2,000/s client close on the default range with no reuse: slow from 7.06 s at 500/s.
private func collapsePrediction() -> Prediction {
    Prediction(
        Prediction.Inputs(
            kernel: KernelSettings(localPortRange: PortRange(low: 32768, high: 60999), twReuse: 0),
            rate: 2000, close: .client, linger: .off, sourcePorts: nil, explicitBind: false, sourceAddresses: 1,
            targetIsLoopback: true, threads: 1, cores: 2))
}

private func collapseDescription() -> RunDescription {
    RunDescription(
        target: "127.0.0.1:8080", builtinServer: true, rate: 2000, close: .client, linger: .off,
        portsPerAddress: 28232, sourceAddressCount: 1, prediction: collapsePrediction())
}

/// Ten 1 s rows at 2,000/s that collapse to `collapsed` per second from the 8th, with this run's client
/// TIME_WAIT growing by what was established.
private func collapseTotals(collapsed: Int, seconds: Int = 10) -> RunTotals {
    var t = RunTotals(intervalSeconds: 1, scheduledSeconds: Double(seconds))
    var own = 0
    for i in 1...seconds {
        let slow = i >= 8
        var c = IntervalCounters()
        c.attempted = slow ? collapsed : 2000
        c.established = c.attempted
        c.completed = c.attempted
        c.activeCloses = c.attempted
        own += c.attempted
        var l = LatencyHistograms()
        _ = l.connectCall.record(slow ? 3000 : 60, count: 100)
        t.add(
            IntervalRow(
                elapsedSeconds: Double(i), unixMillis: 0, targetRate: 2000, counters: c, latency: l, open: 0,
                timeWait: TimeWaitCounts(
                    client: own + 10_000, server: 0, total: own + 10_000, clientOfRun: own, serverOfRun: 0),
                server: nil, isFinal: i == seconds))
    }
    return t
}

@Suite struct PredictionCheckTests {
    @Test func aCollapseNearThePredictedTimeAndRateAgrees() throws {
        let checks = PredictionCheck.compare(collapseTotals(collapsed: 520), collapseDescription())
        let slow = try #require(checks.first { $0.metric == "first_slow_connect_s" })
        #expect(slow.predicted.map { abs($0 - 7.06) < 0.01 } == true)
        #expect(slow.measured == 7)
        #expect(slow.verdict == .agrees)
        let rate = try #require(checks.first { $0.metric == "collapsed_rate" })
        #expect(rate.predicted == 500)
        #expect(rate.measured == 520)
        #expect(rate.verdict == .agrees)
        // The exhaustion the model puts at 21.2 s lies after this 10 s run.
        let first = try #require(checks.first { $0.metric == "first_eaddrnotavail_s" })
        #expect(first.verdict == .beyondRun)
    }

    @Test func underIoUringConnectSlownessIsNotMeasuredSoNeitherComparedNorClaimed() throws {
        // The same collapse, run on io_uring: its connect-call columns would be empty, and nothing may say
        // "measured never" (or compare the prediction with it). The collapsed rate is still measured.
        var d = collapseDescription()
        d.engine = .ioUring
        let checks = PredictionCheck.compare(collapseTotals(collapsed: 520), d)
        #expect(!checks.contains { $0.metric == "first_slow_connect_s" })
        #expect(checks.contains { $0.metric == "collapsed_rate" })
        let text = SummaryReport.render(collapseTotals(collapsed: 520), d)
        #expect(
            text.contains("  connect() slow (p99 > 1 ms): not measured (the io_uring engine makes no connect() call)"))
        #expect(text.hasPrefix("twload summary: ") && text.contains("linger off, io_uring engine\n"))
    }

    @Test func aCollapsedRateMoreThanAQuarterOffIsCalledOutWithAReason() throws {
        let checks = PredictionCheck.compare(collapseTotals(collapsed: 930), collapseDescription())
        let rate = try #require(checks.first { $0.metric == "collapsed_rate" })
        #expect(rate.verdict == .differs)
        let line = PredictionCheck.line(rate)
        #expect(line.hasPrefix("collapsed rate: predicted 500/s, measured 930/s (differs by 86 %: "), "\(line)")
        #expect(line.contains("faster"), "\(line)")
    }

    @Test func theTimeWaitPeakIsThisRunsOwnAndComparedWithTheConnectionsTheModelExpects() throws {
        let t = collapseTotals(collapsed: 520)
        let checks = PredictionCheck.compare(t, collapseDescription())
        let client = try #require(checks.first { $0.metric == "peak_tw_client_own" })
        // 7 × 2,000 + 3 × 520 of its own, not the 10,000 sockets that were there before it.
        #expect(client.measured == 15_560)
        // The model: 14,116 connections until the even half is held at 7.06 s, then 500/s for 2.94 s.
        #expect(client.predicted == 15_587)
        #expect(client.verdict == .agrees)
        let report = SummaryReport.render(t, collapseDescription())
        #expect(report.contains("  TIME_WAIT of this run (peak): client 15560, server 0\n"), "\(report)")
        #expect(report.contains("peak TIME_WAIT (namespace) 25560"), "\(report)")
    }

    @Test func noPredictionGivesNoComparison() {
        var d = collapseDescription()
        d.prediction = nil
        #expect(PredictionCheck.compare(collapseTotals(collapsed: 500), d).isEmpty)
    }

    @Test func aRateThatFellFurtherThanPredictedIsTheReasonForFewerTimeWaitSockets() throws {
        // 30 s, collapsing to 100/s instead of the model's 500/s.
        let checks = PredictionCheck.compare(collapseTotals(collapsed: 100, seconds: 30), collapseDescription())
        let client = try #require(checks.first { $0.metric == "peak_tw_client_own" })
        #expect(client.predicted == 25_587, "14,116 until 7.06 s, then 500/s for 22.94 s")
        #expect(client.measured == 16_300)
        #expect(client.verdict == .differs)
        #expect(
            client.reason
                == "the rate after the collapse was lower than predicted (100/s, not 500/s), so fewer connections "
                + "entered TIME_WAIT")
    }

    @Test func aRunThatEndsBeforeThePredictedCollapseSaysSoForTheCollapsedRateToo() throws {
        // 5 s at 2,000/s: the even half is held at 7.06 s, after the run.
        var t = RunTotals(intervalSeconds: 1, scheduledSeconds: 5)
        for i in 1...5 {
            var c = IntervalCounters()
            c.attempted = 2000
            c.established = 2000
            c.activeCloses = 2000
            t.add(
                IntervalRow(
                    elapsedSeconds: Double(i), unixMillis: 0, targetRate: 2000, counters: c,
                    latency: LatencyHistograms(), open: 0, timeWait: TimeWaitCounts(), server: nil, isFinal: i == 5))
        }
        let checks = PredictionCheck.compare(t, collapseDescription())
        #expect(checks.first { $0.metric == "first_slow_connect_s" }?.verdict == .beyondRun)
        let rate = try #require(checks.first { $0.metric == "collapsed_rate" })
        #expect(rate.verdict == .beyondRun)
        #expect(
            PredictionCheck.line(rate)
                == "collapsed rate: predicted 500/s, measured none (predicted after the run's end)")
    }

    @Test func withoutTheRunsOwnCountTheNamespacesFigureIsComparedUnderItsOwnName() throws {
        var t = RunTotals(intervalSeconds: 1, scheduledSeconds: 1)
        var c = IntervalCounters()
        c.attempted = 2000
        c.established = 2000
        t.add(
            IntervalRow(
                elapsedSeconds: 1, unixMillis: 0, targetRate: 2000, counters: c, latency: LatencyHistograms(),
                open: 0, timeWait: TimeWaitCounts(client: 12_000, server: 0, total: 12_000), server: nil,
                isFinal: true))
        let checks = PredictionCheck.compare(t, collapseDescription())
        #expect(checks.contains { $0.metric == "peak_tw_client_own" } == false)
        let client = try #require(checks.first { $0.metric == "peak_tw_client" })
        #expect(client.label == "client TIME_WAIT peak (other runs' sockets included)")
        #expect(client.measured == 12_000 && client.predicted == 2_000)
        #expect(client.reason?.hasPrefix("more sockets than this run's connections") == true)
    }
}
