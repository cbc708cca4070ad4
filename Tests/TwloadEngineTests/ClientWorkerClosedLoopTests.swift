import Testing
import TwloadEventLoop
import TwloadModel
import TwloadServer
import TwloadStats
import TwloadSystem

@testable import TwloadEngine

/// The closed loop (`--concurrency`): one client event loop keeps N connections in flight against the
/// built-in server on loopback, opening the next as soon as one ends, with no schedule to miss or lag.
struct ClientWorkerClosedLoopTests {
    /// Runs one worker for `seconds` keeping `concurrency` connections in flight against a server that closes
    /// first after holding each connection `holdNanos`. Returns every sample and their sum.
    func run(
        concurrency: Int, seconds: Double, holdNanos: Int64
    ) throws -> (samples: [IntervalSample], sum: IntervalCounters, latency: LatencyHistograms) {
        let server = try BuiltinServer.startedOnLoopback(close: .server, linger: .off, wireProtocol: .tcp) {
            $0.holdNanos = holdNanos
        }
        defer { _ = server.stop() }
        var s = WorkerSettings(
            target: server.address, close: .server, linger: .off, request: [], wireProtocol: .tcp,
            sourceAddresses: [], binding: .system, connectTimeoutNanos: 1_000_000_000, timeoutNanos: 2_000_000_000,
            maxOpen: 1_000, intervalNanos: 100_000_000, startNanos: MonotonicClock.now(),
            schedule: .constant(rate: 0, seconds: seconds), threads: 1, threadIndex: 0)
        s.concurrency = concurrency
        s.drainNanos = 1_000_000_000 + holdNanos
        let run = try WorkerRun(s)
        return (run.samples, run.sum, run.latency)
    }

    @Test func theNextConnectionOpensAsSoonAsOneEndsSoHeldConnectionsPaceTheLoop() throws {
        // 5 in flight, each held 100 ms by the server: 5 new connections per 100 ms, about 25 in 0.5 s.
        let r = try run(concurrency: 5, seconds: 0.5, holdNanos: 100_000_000)
        #expect((25...30).contains(r.sum.attempted), "attempted \(r.sum.attempted)")
        #expect(r.sum.completed == r.sum.attempted && r.sum.failed == 0)
        #expect(r.sum.passiveCloses == r.sum.attempted, "the server closed each after its hold")
        #expect(r.samples.allSatisfy { $0.counters.peakOpen <= 5 }, "never more than 5 in flight")
        #expect(r.samples.dropLast().allSatisfy { $0.counters.peakOpen == 5 }, "always 5 in flight until the end")
    }

    @Test func aClosedLoopMissesNothingAndHasNoScheduleLag() throws {
        let r = try run(concurrency: 8, seconds: 0.3, holdNanos: 0)
        #expect(r.sum.attempted > 100, "a loopback closed loop makes thousands per second")
        #expect(r.sum.missed == 0 && r.sum.notStarted == 0)
        #expect(r.latency.lag.totalCount == 0, "no schedule, so no lag is recorded")
        #expect(r.latency.connect.totalCount == r.sum.established, "latency from each attempt's own start")
        #expect(r.samples.allSatisfy { $0.backlog == 0 })
        #expect(r.sum.completed + r.sum.failed + r.sum.unfinished == r.sum.attempted)
    }
}
