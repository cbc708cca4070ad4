import Glibc
import Testing
import TwloadModel
import TwloadServer
import TwloadStats
import TwloadSystem

/// HTTP keep-alive: the built-in server answers every request of a connection in turn, up to its request
/// limit, and closes a connection that stays idle past its keep-alive timeout.
extension BuiltinServerTests {
    static let request = "GET / HTTP/1.1\r\nHost: x\r\n\r\n"
    static let keptAlive = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nok\n"
    static let closing =
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n"

    /// A started http server on 127.0.0.1:0 with `change` applied to its settings; it publishes its counters
    /// every 10 ms.
    func httpServer(close: CloseSide, _ change: (inout ServerSettings) -> Void = { _ in }) throws -> BuiltinServer {
        var settings = ServerSettings(
            listen: SocketAddress(ip: "127.0.0.1", port: 0)!, close: close, linger: .off, wireProtocol: .http,
            awaitRequest: true)
        change(&settings)
        let s = try BuiltinServer(settings: settings)
        try s.start(intervalNanos: 10_000_000)
        return s
    }

    /// Reads `count` bytes as text (or what came before end of file, or ~2 s).
    func readText(_ fd: Int32, count: Int) -> String {
        String(decoding: read(fd, count: count), as: UTF8.self)
    }

    /// Whether the peer's FIN arrives (a read returns 0) within ~2 s, with no bytes before it.
    func finArrives(_ fd: Int32) -> Bool {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 8)
        defer { buffer.deallocate() }
        for _ in 0..<4000 {
            switch Socket.read(fd, into: buffer) {
            case .endOfFile: return true
            case .processed, .failed: return false
            case .wouldBlock: usleep(500)
            }
        }
        return false
    }

    @Test func underClientCloseEveryRequestOfAConnectionIsAnsweredWithoutConnectionClose() throws {
        let s = try httpServer(close: .client)
        defer { s.stop() }
        let fd = try connect(s)
        for i in 0..<3 {
            send(fd, Self.request)
            #expect(readText(fd, count: Self.keptAlive.utf8.count) == Self.keptAlive, "response \(i + 1)")
        }
        Socket.close(fd)
        try waitUntil { s.counters.passiveCloses == 1 }
        let c = s.stop()
        #expect(c.accepted == 1)
        #expect(c.requests == 3)
        #expect(c.activeCloses == 0)
        #expect(c.errors == 0)
    }

    @Test func theLastResponseOfTheRequestLimitCarriesConnectionCloseAndTheServerClosesFirst() throws {
        let s = try httpServer(close: .client) { $0.maxRequests = 2 }
        defer { s.stop() }
        let fd = try connect(s)
        defer { Socket.close(fd) }
        send(fd, Self.request)
        #expect(readText(fd, count: Self.keptAlive.utf8.count) == Self.keptAlive)
        send(fd, Self.request)
        #expect(readText(fd, count: Self.closing.utf8.count) == Self.closing)
        #expect(finArrives(fd))
        try waitUntil { s.counters.activeCloses == 1 }
        let c = s.stop()
        #expect(c.requests == 2)
        #expect(c.passiveCloses == 0)
        #expect(c.resets == 0)
    }

    @Test func underServerCloseTheOneResponseCarriesConnectionCloseThenTheServersFin() throws {
        let s = try httpServer(close: .server)
        defer { s.stop() }
        let fd = try connect(s)
        defer { Socket.close(fd) }
        send(fd, Self.request)
        #expect(String(decoding: readToEnd(fd), as: UTF8.self) == Self.closing)
        try waitUntil { s.counters.activeCloses == 1 }
        let c = s.stop()
        #expect(c.requests == 1)
        #expect(c.passiveCloses == 0)
    }

    @Test func twoRequestsInOneWriteAreEachAnsweredInOrder() throws {
        // The limit of 2 tells the answers apart: the first keeps the connection, the second closes it.
        let s = try httpServer(close: .client) { $0.maxRequests = 2 }
        defer { s.stop() }
        let fd = try connect(s)
        defer { Socket.close(fd) }
        send(fd, Self.request + Self.request)
        #expect(String(decoding: readToEnd(fd), as: UTF8.self) == Self.keptAlive + Self.closing)
        try waitUntil { s.counters.activeCloses == 1 }
        #expect(s.stop().requests == 2)
    }

    @Test func requestsSplitAcrossWritesAtAnyByteAreEachAnswered() throws {
        let s = try httpServer(close: .client)
        defer { s.stop() }
        let fd = try connect(s)
        let bytes = Array((Self.request + Self.request + Self.request).utf8)
        // Cut inside the first blank line (after its "\r\n\r"), inside the second request's first line, and
        // just before the third's last "\n"; the second piece also starts with the first request's last byte.
        for piece in [bytes[0..<26], bytes[26..<30], bytes[30..<80], bytes[80...]] {
            _ = Array(piece).withUnsafeBytes { Socket.write(fd, $0) }
            usleep(10_000)
        }
        #expect(readText(fd, count: 3 * Self.keptAlive.utf8.count) == String(repeating: Self.keptAlive, count: 3))
        Socket.close(fd)
        try waitUntil { s.counters.passiveCloses == 1 }
        #expect(s.stop().requests == 3)
    }

    @Test func aConnectionIdlePastTheKeepAliveTimeoutIsClosedByTheServer() throws {
        let s = try httpServer(close: .client) { $0.keepAliveTimeoutNanos = 100_000_000 }
        defer { s.stop() }
        let fd = try connect(s)
        defer { Socket.close(fd) }
        send(fd, Self.request)
        #expect(readText(fd, count: Self.keptAlive.utf8.count) == Self.keptAlive)
        usleep(300_000)
        #expect(reachedEndOfFile(fd))
        try waitUntil { s.counters.activeCloses == 1 }
        let c = s.stop()
        #expect(c.requests == 1)
        #expect(c.passiveCloses == 0)
        #expect(c.resets == 0)
    }

    @Test func theKeepAliveTimeoutRestartsWithEachResponse() throws {
        // Four requests 200 ms apart outlast a 500 ms timeout, but no wait between them does.
        let s = try httpServer(close: .client) { $0.keepAliveTimeoutNanos = 500_000_000 }
        defer { s.stop() }
        let fd = try connect(s)
        for i in 0..<4 {
            if i > 0 { usleep(200_000) }
            send(fd, Self.request)
            #expect(readText(fd, count: Self.keptAlive.utf8.count) == Self.keptAlive, "response \(i + 1)")
        }
        Socket.close(fd)
        try waitUntil { s.counters.passiveCloses == 1 }
        let c = s.stop()
        #expect(c.requests == 4)
        #expect(c.activeCloses == 0)
    }

    @Test func theKeepAliveTimeoutDoesNotCloseAConnectionBeforeItsFirstResponse() throws {
        let s = try httpServer(close: .client) { $0.keepAliveTimeoutNanos = 50_000_000 }
        defer { s.stop() }
        let fd = try connect(s)
        usleep(200_000)
        #expect(!reachedEndOfFile(fd))
        send(fd, Self.request)
        #expect(readText(fd, count: Self.keptAlive.utf8.count) == Self.keptAlive)
        Socket.close(fd)
        try waitUntil { s.counters.passiveCloses == 1 }
        #expect(s.stop().activeCloses == 0)
    }

    @Test func onlyTheFirstRequestWaitsForTheHold() throws {
        let s = try httpServer(close: .client) { $0.holdNanos = Self.hold }
        defer { s.stop() }
        let connected = MonotonicClock.now()
        let fd = try connect(s)
        send(fd, Self.request)
        #expect(readText(fd, count: Self.keptAlive.utf8.count) == Self.keptAlive)
        #expect(MonotonicClock.now() - connected >= Self.earliestEnd)
        let sent = MonotonicClock.now()
        send(fd, Self.request)
        #expect(readText(fd, count: Self.keptAlive.utf8.count) == Self.keptAlive)
        #expect(MonotonicClock.now() - sent < 200_000_000, "at once, not another 300 ms hold")
        Socket.close(fd)
        try waitUntil { s.counters.passiveCloses == 1 }
    }

    @Test func tcpRepliesOnceWhateverTheRequestLimit() throws {
        var settings = ServerSettings(
            listen: SocketAddress(ip: "127.0.0.1", port: 0)!, close: .server, linger: .off, wireProtocol: .tcp,
            awaitRequest: true)
        settings.maxRequests = 5
        settings.keepAliveTimeoutNanos = 50_000_000
        let s = try BuiltinServer(settings: settings)
        try s.start()
        defer { s.stop() }
        let fd = try connect(s)
        defer { Socket.close(fd) }
        send(fd, "ping")
        #expect(readToEnd(fd) == Array("ok\n".utf8))
        try waitUntil { s.counters.activeCloses == 1 }
    }
}
