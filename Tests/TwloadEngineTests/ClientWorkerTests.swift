import Testing
import TwloadEventLoop
import TwloadModel
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

    /// The built-in server on an ephemeral loopback port, started; the caller stops it.
    func startedServer(
        close: CloseSide = .client, linger: LingerMode = .reset, wireProtocol: WireProtocol = .tcp
    ) throws -> BuiltinServer {
        try BuiltinServer.startedOnLoopback(close: close, linger: linger, wireProtocol: wireProtocol)
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
        let server = try startedServer()
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

    @Test func attemptsLeftWhenTheScheduleEndsAreNotStartedRatherThanMissed() throws {
        // The whole 100 ms schedule lies 100–200 ms in the past: every attempt is later than the 20 ms end
        // grace but not the 1 s after which an attempt is missed. None may start, and none may be piled into
        // the last row's `missed`: they are the schedule's `notStarted`, with how far behind it was.
        let server = try startedServer()
        defer { _ = server.stop() }
        let s = settings(
            target: server.address, rate: 1_000, seconds: 0.1, agoNanos: 200_000_000,
            intervalNanos: 100_000_000)
        let mailbox = SampleMailbox()
        var worker = try ClientWorker(settings: s, mailbox: mailbox, control: try RunControl(), closer: nil)
        worker.run()
        var attempted = 0
        var missed = 0
        var notStarted = 0
        var lag: Int64 = 0
        var index = 0
        while let sample = mailbox.take(index: index) {
            attempted += sample.counters.attempted
            missed += sample.counters.missed
            notStarted += sample.counters.notStarted
            lag = max(lag, sample.counters.endLagNanos)
            index += 1
        }
        #expect(attempted == 0)
        #expect(missed == 0)
        #expect(notStarted == 100)
        #expect(lag >= 200_000_000, "the oldest attempt was about 200 ms late: \(lag) ns")
    }

    @Test func backlogCountsAttemptsDueButNotTaken() throws {
        let server = try startedServer()
        defer { _ = server.stop() }
        // A 10 s schedule that started 50 ms ago at 1,000/s, none taken yet: 50 are due now.
        let s = settings(
            target: server.address, rate: 1_000, seconds: 10, agoNanos: 50_000_000, intervalNanos: 1_000_000_000)
        let worker = try ClientWorker(settings: s, mailbox: SampleMailbox(), control: try RunControl(), closer: nil)
        // Attempts 0 … 50 are due at 0, 1, … 50 ms: 51 before 50.5 ms, and none before the start.
        #expect(worker.backlog(at: s.startNanos + 50_500_000) == 51)
        #expect(worker.backlog(at: s.startNanos + 1) == 1)
        #expect(worker.backlog(at: s.startNanos) == 0)
    }

    /// Runs one worker against the built-in HTTP server (which answers 200) with `expected` as the success
    /// statuses, and returns its counters summed over every sample.
    func httpRun(
        expected: StatusSet, clientClose: CloseSide, serverClose: CloseSide, drainNanos: Int64 = 1_000_000_000
    ) throws -> (IntervalCounters, LatencyHistograms) {
        let server = try startedServer(close: serverClose, linger: .off, wireProtocol: .http)
        defer { _ = server.stop() }
        var s = settings(
            target: server.address, rate: 1_000, seconds: 0.05, agoNanos: 0, intervalNanos: 1_000_000_000)
        s.close = clientClose
        s.linger = .off
        s.wireProtocol = .http
        s.request = HTTPRequest.get(host: "127.0.0.1", path: "/", connectionClose: clientClose == .server)
        s.expectedStatus = expected
        s.drainNanos = drainNanos
        let run = try WorkerRun(s)
        return (run.sum, run.latency)
    }

    @Test func anExpectedStatusCompletesWithItsResponseTimes() throws {
        let (c, l) = try httpRun(expected: .successOrRedirect, clientClose: .client, serverClose: .client)
        #expect(c.attempted == 50)
        #expect(c.completed == 50 && c.failed == 0)
        #expect(c.http2xx == 50 && c.unexpectedStatus == 0)
        #expect(l.response.totalCount == 50 && l.firstByte.totalCount == 50)
        let response = try #require(l.response.percentileOrNil(50))
        #expect(response >= (l.connect.percentileOrNil(50) ?? 0), "the response comes after the handshake")
    }

    @Test func anUnexpectedStatusFailsEachConnectionOnceAndNeverCompletesIt() throws {
        // The built-in server answers 200; expecting only 204 makes every answer unexpected.
        let (c, _) = try httpRun(
            expected: StatusSet(ranges: [204...204]), clientClose: .client, serverClose: .client)
        #expect(c.attempted == 50)
        #expect(c.http2xx == 50)
        #expect(c.unexpectedStatus == 50 && c.failed == 50)
        #expect(c.completed == 0)
        #expect(c.otherErrors == 0 && c.etimedout == 0, "a status is not an errno")
        #expect(c.activeCloses == 50, "the close still follows --close")
    }

    @Test func aFailedStatusOnAConnectionThatIsThenAbandonedIsNotAlsoUnfinished() throws {
        // Both sides wait for the other's FIN, so every connection is still open when the 100 ms drain ends.
        let (c, _) = try httpRun(
            expected: StatusSet(ranges: [204...204]), clientClose: .server, serverClose: .client,
            drainNanos: 100_000_000)
        #expect(c.attempted == 50)
        #expect(c.unexpectedStatus == 50 && c.failed == 50)
        #expect(c.unfinished == 0)
        #expect(c.completed + c.failed + c.unfinished == c.attempted)
    }
}
