import Glibc
import Testing
import TwloadEventLoop
import TwloadModel
import TwloadServer
import TwloadStats
import TwloadSystem

@testable import TwloadEngine

/// The io_uring engine (`--engine io_uring`) against the built-in server on loopback: the same counters as
/// the epoll engine for each way a connection goes, and no descriptor left behind.
struct ClientWorkerRingTests {
    /// Settings for one io_uring thread at `rate` per second for `seconds`, against `target`.
    func settings(
        target: SocketAddress, close: CloseSide, wireProtocol: WireProtocol, rate: Double = 500,
        seconds: Double = 0.4
    ) -> WorkerSettings {
        let get = HTTPRequest.get(host: "127.0.0.1", path: "/", connectionClose: close == .server)
        var s = WorkerSettings(
            target: target, close: close, linger: .off, request: wireProtocol == .http ? get : [],
            wireProtocol: wireProtocol, sourceAddresses: [], binding: .system, connectTimeoutNanos: 1_000_000_000,
            timeoutNanos: 1_000_000_000, maxOpen: 1_000, intervalNanos: 100_000_000,
            startNanos: MonotonicClock.now(), schedule: .constant(rate: rate, seconds: seconds), threads: 1,
            threadIndex: 0)
        s.engine = .ioUring
        return s
    }

    /// Connections to `port` on 127.0.0.1 still ESTABLISHED in this namespace (/proc/net/tcp, state 01).
    /// A client socket the engine never closed stays there; one it closed has moved on to FIN_WAIT or
    /// TIME_WAIT. Other tests' connections go to other ports, so they never count.
    func establishedConnections(toPort port: UInt16) throws -> Int {
        let hex = String(port, radix: 16, uppercase: true)
        let hexPort = ":" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        return try ProcFile.read("/proc/net/tcp", maxBytes: 1 << 24).split(separator: "\n").dropFirst().count {
            let f = $0.split(separator: " ")
            return f.count > 3 && f[2].hasSuffix(hexPort) && f[3] == "01"
        }
    }

    @Test(arguments: [CloseSide.client, .server])
    func everyHTTPExchangeCompletesAndTheRightSideClosesFirst(close: CloseSide) throws {
        let server = try BuiltinServer.startedOnLoopback(close: close, linger: .off, wireProtocol: .http)
        defer { _ = server.stop() }
        let run = try WorkerRun(settings(target: server.address, close: close, wireProtocol: .http))
        let t = run.sum
        #expect(t.attempted == 200)
        #expect(t.established == 200 && t.completed == 200 && t.failed == 0)
        #expect(t.requests == 200 && t.responses == 200 && t.http2xx == 200)
        #expect(close == .client ? t.activeCloses == 200 : t.passiveCloses == 200)
        #expect(run.latency.response.totalCount == 200 && run.latency.firstByte.totalCount == 200)
        #expect(run.latency.connectCall.totalCount == 0, "connect() is no call of its own in the ring")
        #expect(try establishedConnections(toPort: server.address.port) == 0, "every socket was closed")
    }

    @Test func plainTCPWithNothingToSendClosesRightAfterTheHandshake() throws {
        let server = try BuiltinServer.startedOnLoopback(close: .client, linger: .reset, wireProtocol: .tcp)
        defer { _ = server.stop() }
        let run = try WorkerRun(settings(target: server.address, close: .client, wireProtocol: .tcp))
        #expect(run.sum.attempted == 200 && run.sum.completed == 200 && run.sum.activeCloses == 200)
        #expect(run.sum.requests == 0 && run.sum.failed == 0)
        #expect(run.latency.connect.totalCount == 200)
    }

    @Test func aRefusedConnectIsCountedUnderECONNREFUSEDAndItsLinkedSendNeverCounts() throws {
        // A port nothing listens on: the connect completes with ECONNREFUSED, and the send and recv linked
        // behind it come back cancelled under a released tag, so they count nothing.
        let listener = try Socket.tcp(family: AF_INET)
        try Socket.bind(listener, to: SocketAddress(ip: "127.0.0.1", port: 0)!)
        let port = try Socket.localPort(listener)
        Socket.close(listener)
        let run = try WorkerRun(
            settings(
                target: SocketAddress(ip: "127.0.0.1", port: port)!, close: .client, wireProtocol: .http, rate: 250))
        #expect(run.sum.attempted == 100)
        #expect(run.sum.econnrefused == 100 && run.sum.failed == 100)
        #expect(run.sum.established == 0 && run.sum.requests == 0 && run.sum.completed == 0)
    }

    @Test func aServerThatHoldsPastTheTimeoutIsTimedOutAndItsRecvCancelled() throws {
        // The server holds every connection 1 s; the timeout is 200 ms. Each connection's recv is in flight
        // when its time is up: it is cancelled, the socket closed, and the exchange counted as timed out.
        let server = try BuiltinServer.startedOnLoopback(close: .server, linger: .off, wireProtocol: .http) {
            $0.holdNanos = 1_000_000_000
        }
        defer { _ = server.stop() }
        var s = settings(target: server.address, close: .client, wireProtocol: .http, rate: 100, seconds: 0.2)
        s.timeoutNanos = 200_000_000
        let run = try WorkerRun(s)
        #expect(run.sum.attempted == 20)
        #expect(run.sum.exchangeTimeouts == 20 && run.sum.etimedout == 20 && run.sum.failed == 20)
        #expect(run.sum.responses == 0 && run.sum.completed == 0 && run.sum.unfinished == 0)
        #expect(
            try establishedConnections(toPort: server.address.port) == 0,
            "the cancelled connections were closed too, while the server still held its ends")
    }

    @Test func aClosedLoopKeepsExactlyNInFlight() throws {
        let server = try BuiltinServer.startedOnLoopback(close: .server, linger: .off, wireProtocol: .tcp) {
            $0.holdNanos = 100_000_000
        }
        defer { _ = server.stop() }
        var s = settings(target: server.address, close: .server, wireProtocol: .tcp, rate: 0, seconds: 0.5)
        s.concurrency = 5
        s.drainNanos = 1_100_000_000
        let run = try WorkerRun(s)
        #expect((25...30).contains(run.sum.attempted), "attempted \(run.sum.attempted)")
        #expect(run.sum.completed == run.sum.attempted && run.sum.passiveCloses == run.sum.attempted)
        #expect(run.samples.allSatisfy { $0.counters.peakOpen <= 5 })
        #expect(run.samples.dropLast().allSatisfy { $0.counters.peakOpen == 5 })
        #expect(run.sum.missed == 0 && run.latency.lag.totalCount == 0)
    }

    @Test func aSourcePortRangeIsHonouredThroughTheRing() throws {
        // Three source ports and the client closing first (the server waits for its FIN): each port is in
        // TIME_WAIT after its connection, so most later connects within 0.3 s find no port, and the ring's
        // connect reports that as EADDRNOTAVAIL. (Loopback's tcp_tw_reuse=2 may hand out a port whose
        // TIME_WAIT, left by an earlier run, is over 1 s old, so a few more may connect; without the range
        // all 30 would. The namespace tests check the exact count with tcp_tw_reuse=0.)
        let server = try BuiltinServer.startedOnLoopback(close: .client, linger: .off, wireProtocol: .tcp)
        defer { _ = server.stop() }
        var s = settings(target: server.address, close: .client, wireProtocol: .tcp, rate: 100, seconds: 0.3)
        s.binding = .perSocketRange(PortRange(low: 47_001, high: 47_003))
        let run = try WorkerRun(s)
        #expect(run.sum.attempted == 30)
        #expect((3...6).contains(run.sum.completed), "\(run.sum)")
        #expect(run.sum.completed + run.sum.eaddrnotavail == 30, "\(run.sum)")
        #expect(run.sum.firstEaddrnotavailNanos >= 0)
    }

    @Test func aRingThatCannotBeSetUpThrowsTheSetupCallsErrno() {
        #expect(throws: SystemError(errno: .invalidArgument, call: "io_uring_setup")) {
            _ = try IOURing(entries: 0, completionEntries: 0)
        }
    }
}
