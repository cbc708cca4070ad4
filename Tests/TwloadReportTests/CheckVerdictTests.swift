import Testing
import TwloadCensus
import TwloadModel

@testable import TwloadReport

/// `twload check`'s verdict: trouble (the collapse or the first EADDRNOTAVAIL) within the run's duration
/// fails the gate, with the reason in one line.
@Suite struct CheckVerdictTests {
    /// The prediction for a client-close run at `rate` with no TIME_WAIT reuse on the default range, or on a
    /// per-socket range of `ports`.
    private func prediction(rate: Double, ports: PortRange? = nil, close: CloseSide = .client) -> Prediction {
        Prediction(
            Prediction.Inputs(
                kernel: KernelSettings(
                    localPortRange: PortRange(low: 32768, high: 60999), twReuse: 0, twReuseDelayMillis: 1000,
                    maxTimeWaitBuckets: 262_144),
                rate: rate, close: close, linger: .off, sourcePorts: ports, explicitBind: false, sourceAddresses: 1,
                targetIsLoopback: true, threads: 2, cores: 2))
    }

    @Test func aCollapseWithinTheDurationFailsAndSaysWhen() {
        let v = CheckVerdict(prediction(rate: 2000), durationSeconds: 30)
        #expect(v.troubleWithinRun)
        #expect(v.line.hasPrefix("twload check: FAIL: connect() would slow at 7.06 s"), "\(v.line)")
        #expect(v.line.hasSuffix("within the run's 30 s"), "\(v.line)")
    }

    @Test func aRunThatEndsBeforeTheCollapsePassesAndSaysWhenItWouldCome() {
        let v = CheckVerdict(prediction(rate: 2000), durationSeconds: 5)
        #expect(!v.troubleWithinRun)
        #expect(
            v.line
                == "twload check: OK: no port exhaustion or slowdown within the run's 5 s "
                + "(connect() would slow at 7.06 s and the ports would run out at 21.17 s, after it ends)")
    }

    @Test func exhaustingAPerSocketRangeWithinTheDurationFails() {
        let v = CheckVerdict(prediction(rate: 100, ports: PortRange(low: 40000, high: 40099)), durationSeconds: 3)
        #expect(v.troubleWithinRun)
        #expect(
            v.line
                == "twload check: FAIL: the source ports would run out (EADDRNOTAVAIL) at 1.00 s, within the run's 3 s")
    }

    @Test func serverCloseNeverExhaustsTheClientsPorts() {
        let v = CheckVerdict(prediction(rate: 2000, close: .server), durationSeconds: 3600)
        #expect(!v.troubleWithinRun)
        #expect(v.line == "twload check: OK: no port exhaustion or slowdown within the run's 3600 s")
    }
}
