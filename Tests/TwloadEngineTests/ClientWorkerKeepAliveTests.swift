import Testing
import TwloadEventLoop
import TwloadModel
import TwloadServer
import TwloadStats
import TwloadSystem

@testable import TwloadEngine

/// Keep-alive on one client event loop against the built-in http server on loopback: several requests per
/// connection, `--think` pauses between them, and the server's idle timeout closing a connection that
/// pauses longer than it allows.
struct ClientWorkerKeepAliveTests {
    /// 20 connections (200/s for 0.1 s), each asking `requests` requests with `thinkNanos` between them and
    /// closing first, against the built-in server (client close, `keepAliveTimeoutNanos`, no request limit).
    /// Returns the summed counters, the response times, and how long the run took.
    func run(
        requests: Int, thinkNanos: Int64, keepAliveTimeoutNanos: Int64 = 0, timeoutNanos: Int64 = 1_000_000_000
    ) throws -> (IntervalCounters, LatencyHistograms, seconds: Double) {
        let server = try BuiltinServer.startedOnLoopback(close: .client, linger: .off, wireProtocol: .http) {
            $0.keepAliveTimeoutNanos = keepAliveTimeoutNanos
        }
        defer { _ = server.stop() }
        let start = MonotonicClock.now()
        var s = WorkerSettings(
            target: server.address, close: .client, linger: .off,
            request: HTTPRequest.get(host: "127.0.0.1", path: "/", connectionClose: false), wireProtocol: .http,
            sourceAddresses: [], binding: .system, connectTimeoutNanos: 1_000_000_000, timeoutNanos: timeoutNanos,
            maxOpen: 1_000, intervalNanos: 1_000_000_000, startNanos: start,
            schedule: .constant(rate: 200, seconds: 0.1), threads: 1, threadIndex: 0)
        s.requestsPerConnection = requests
        s.thinkNanos = thinkNanos
        s.drainNanos = 1_000_000_000 + thinkNanos * Int64(requests - 1)
        let run = try WorkerRun(s)
        let seconds = Double(MonotonicClock.now() - start) / 1e9
        return (run.sum, run.latency, seconds)
    }

    @Test func eachConnectionCarriesItsRequestsInTurnAndTheClientClosesAfterTheLast() throws {
        let (c, l, _) = try run(requests: 3, thinkNanos: 0)
        #expect(c.attempted == 20 && c.completed == 20 && c.failed == 0)
        #expect(c.requests == 60 && c.responses == 60 && c.http2xx == 60)
        #expect(l.response.totalCount == 60)
        #expect(c.activeCloses == 20 && c.passiveCloses == 0)
    }

    @Test func aPauseShorterThanTheServersIdleTimeoutKeepsTheConnectionForEveryRequest() throws {
        let (c, l, seconds) = try run(requests: 3, thinkNanos: 50_000_000, keepAliveTimeoutNanos: 1_000_000_000)
        #expect(c.completed == 20 && c.failed == 0 && c.protocolErrors == 0)
        #expect(c.requests == 60 && c.responses == 60)
        #expect(c.activeCloses == 20 && c.passiveCloses == 0, "the client closes after its last request")
        #expect(seconds >= 0.095 + 0.1, "the last connection starts at 95 ms and pauses twice for 50 ms")
        // Each response time runs from its own request's send, so no pause is inside it.
        let p99 = try #require(l.response.percentileOrNil(99))
        #expect(p99 < 50_000_000, "a response time of \(p99) ns includes a pause")
    }

    @Test func aPauseLongerThanTheServersIdleTimeoutEndsWithTheServersCloseAndNoError() throws {
        let (c, _, _) = try run(requests: 3, thinkNanos: 300_000_000, keepAliveTimeoutNanos: 50_000_000)
        #expect(c.attempted == 20 && c.completed == 20)
        #expect(c.failed == 0 && c.protocolErrors == 0 && c.econnreset == 0)
        #expect(c.requests == 20 && c.responses == 20, "no request follows the server's close")
        #expect(c.passiveCloses == 20 && c.activeCloses == 0, "every close is the server's")
    }

    @Test func thePauseDoesNotCountAgainstTheTimeout() throws {
        // Each pause is longer than --timeout; every request still has the whole timeout from its send.
        let (c, _, _) = try run(requests: 2, thinkNanos: 300_000_000, timeoutNanos: 200_000_000)
        #expect(c.exchangeTimeouts == 0 && c.etimedout == 0)
        #expect(c.completed == 20 && c.responses == 40)
    }
}
