import Testing
import TwloadEventLoop
import TwloadServer
import TwloadStats
import TwloadSystem

@testable import TwloadEngine

/// One client event loop driven directly on the test thread, against the built-in server on loopback.
struct ClientWorkerTests {
    /// Settings for a one-thread constant-rate schedule that started `agoNanos` before now.
    func settings(
        target: SocketAddress, rate: Double, seconds: Double, agoNanos: Int64,
        intervalNanos: Int64
    ) -> WorkerSettings {
        WorkerSettings(
            target: target, close: .client, linger: .reset, request: [], wireProtocol: .tcp,
            sourceAddresses: [], binding: .system, connectTimeoutNanos: 1_000_000_000,
            timeoutNanos: 1_000_000_000, maxOpen: 1_000, intervalNanos: intervalNanos,
            startNanos: MonotonicClock.now() - agoNanos, schedule: .constant(rate: rate, seconds: seconds),
            threads: 1, threadIndex: 0)
    }

    /// Every sample the worker posted, summed.
    func totals(_ mailbox: SampleMailbox) -> IntervalCounters {
        var sum = IntervalCounters()
        var index = 0
        while let sample = mailbox.take(index: index) {
            sum.attempted += sample.counters.attempted
            sum.missed += sample.counters.missed
            sum.completed += sample.counters.completed
            index += 1
        }
        return sum
    }

    @Test func attemptsStillDueAfterTheLastIntervalEndStartWithinTheEndGrace() throws {
        // The whole 100 ms schedule lies 50–150 ms in the past and its one interval has already
        // ended, like a loop that fell behind near the end of a run. Every attempt is within the
        // (widened) end grace, so each must start: none may be turned into a miss because the last
        // interval boundary, which no longer needs a sample of its own, is behind the clock.
        let server = try BuiltinServer(
            settings: ServerSettings(
                listen: SocketAddress(ip: "127.0.0.1", port: 0)!, close: .client, linger: .reset,
                wireProtocol: .tcp, awaitRequest: false))
        try server.start()
        defer { _ = server.stop() }
        var s = settings(
            target: server.address, rate: 1_000, seconds: 0.1, agoNanos: 150_000_000,
            intervalNanos: 100_000_000)
        s.endGraceNanos = 2_000_000_000
        let mailbox = SampleMailbox()
        var worker = try ClientWorker(settings: s, mailbox: mailbox, control: try RunControl(), closer: nil)
        worker.run()
        let t = totals(mailbox)
        #expect(t.attempted == 100)
        #expect(t.missed == 0)
        #expect(t.completed == 100)
    }
}
