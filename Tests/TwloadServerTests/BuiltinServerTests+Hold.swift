import Glibc
import Testing
import TwloadModel
import TwloadServer
import TwloadStats
import TwloadSystem

/// `--hold`: the built-in server keeps each connection for the hold after accept, then ends it.
extension BuiltinServerTests {
    static let hold: Int64 = 300_000_000
    /// The earliest a held connection may end, measured from just before the client's connect(): the
    /// server accepts it no earlier than that, so its hold ends at least a full hold later, however loaded
    /// the machine (measured from connect()'s return, a slow client thread would make it look shorter).
    static let earliestEnd: Int64 = hold
    /// Generous: a loaded machine still ends a 300 ms hold well before this.
    static let latestEnd: Int64 = 1_500_000_000

    /// Reads until `count` bytes came (or end of file, or ~2 s).
    func read(_ fd: Int32, count: Int) -> [UInt8] {
        var out: [UInt8] = []
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 8)
        defer { buffer.deallocate() }
        for _ in 0..<4000 where out.count < count {
            switch Socket.read(fd, into: buffer) {
            case .processed(let n): out += buffer.prefix(n)
            case .endOfFile, .failed: return out
            case .wouldBlock: usleep(500)
            }
        }
        return out
    }

    /// Whether `fd` has reached end of file now (any bytes before it are dropped).
    func reachedEndOfFile(_ fd: Int32) -> Bool {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 8)
        defer { buffer.deallocate() }
        while true {
            switch Socket.read(fd, into: buffer) {
            case .processed: continue
            case .endOfFile, .failed: return true
            case .wouldBlock: return false
            }
        }
    }

    @Test func aHeldServerCloseSendsItsFinOnlyAfterTheHold() throws {
        let s = try server(close: .server, awaitRequest: false, holdNanos: Self.hold)
        defer { s.stop() }
        let connected = MonotonicClock.now()
        let fd = try connect(s)
        defer { Socket.close(fd) }
        #expect(readToEnd(fd).isEmpty)  // no request awaited: no reply, only the FIN
        let lived = MonotonicClock.now() - connected
        #expect(lived >= Self.earliestEnd)
        #expect(lived < Self.latestEnd)
        try waitUntil { s.counters.activeCloses == 1 }
        let c = s.stop()
        #expect(c.passiveCloses == 0)
        #expect(c.errors == 0)
        #expect(c.open == 0)
    }

    @Test func aHeldHttpRequestIsAnsweredAndClosedOnlyAfterTheHold() throws {
        let s = try server(close: .server, wireProtocol: .http, awaitRequest: true, holdNanos: Self.hold)
        defer { s.stop() }
        let connected = MonotonicClock.now()
        let fd = try connect(s)
        defer { Socket.close(fd) }
        send(fd, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        let response = String(decoding: readToEnd(fd), as: UTF8.self)
        let lived = MonotonicClock.now() - connected
        #expect(response.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(response.hasSuffix("\r\n\r\nok\n"))
        #expect(lived >= Self.earliestEnd)
        #expect(lived < Self.latestEnd)
    }

    @Test func aRequestAfterTheHoldIsAnsweredAtOnce() throws {
        let s = try server(close: .server, awaitRequest: true, holdNanos: Self.hold)
        defer { s.stop() }
        let fd = try connect(s)
        defer { Socket.close(fd) }
        usleep(450_000)  // the hold is over before the request comes
        let sent = MonotonicClock.now()
        send(fd, "ping")
        #expect(readToEnd(fd) == Array("ok\n".utf8))
        #expect(MonotonicClock.now() - sent < 200_000_000, "at once, not another 300 ms hold after the request")
    }

    @Test func aClientCloseConnectionGetsItsReplyOnlyAfterTheHold() throws {
        let s = try server(close: .client, awaitRequest: false, holdNanos: Self.hold)
        defer { s.stop() }
        let connected = MonotonicClock.now()
        let fd = try connect(s)
        send(fd, "ping")
        #expect(read(fd, count: 3) == Array("ok\n".utf8))
        let waited = MonotonicClock.now() - connected
        #expect(waited >= Self.earliestEnd)
        #expect(waited < Self.latestEnd)
        Socket.close(fd)  // the client closes first, as --close client says
        try waitUntil { s.counters.passiveCloses == 1 }
        #expect(s.stop().activeCloses == 0)
    }

    @Test func aClientThatClosesDuringTheHoldIsAPassiveCloseAndItsFdsNextConnectionKeepsItsOwnHold() throws {
        let s = try server(close: .server, awaitRequest: false, holdNanos: Self.hold)
        defer { s.stop() }
        let early = try connect(s)
        try waitUntil { s.counters.open == 1 }
        Socket.close(early)
        try waitUntil { s.counters.passiveCloses == 1 && s.counters.open == 0 }
        // The server most likely gets the same fd for this one; the first connection's hold, which ends
        // sooner, must not end it.
        let connected = MonotonicClock.now()
        let next = try connect(s)
        defer { Socket.close(next) }
        #expect(readToEnd(next).isEmpty)
        #expect(MonotonicClock.now() - connected >= Self.earliestEnd)
        try waitUntil { s.counters.activeCloses == 1 }
        let c = s.stop()
        #expect(c.accepted == 2)
        #expect(c.passiveCloses == 1)
        #expect(c.activeCloses == 1)
        #expect(c.resets == 0)
        #expect(c.errors == 0)
    }

    @Test func fiftyConnectionsHeldAtOnceAreClosedAfterTheHoldInAcceptOrder() throws {
        let s = try server(close: .server, awaitRequest: false, holdNanos: Self.hold)
        defer { s.stop() }
        var fds: [Int32] = []
        var connected: [Int64] = []
        for _ in 0..<50 {
            connected.append(MonotonicClock.now())
            fds.append(try connect(s))
            usleep(1_000)
        }
        defer { for fd in fds { Socket.close(fd) } }
        try waitUntil { s.counters.accepted == 50 }
        #expect(s.counters.open > 0)  // held: none has ended yet at accept, the ends below say when they do
        var ended = [Int64?](repeating: nil, count: 50)
        let giveUp = MonotonicClock.now() + 2 * Self.latestEnd
        while ended.contains(nil) && MonotonicClock.now() < giveUp {
            for i in fds.indices where ended[i] == nil && reachedEndOfFile(fds[i]) { ended[i] = MonotonicClock.now() }
            usleep(200)
        }
        try #require(!ended.contains(nil))
        let ends = ended.map { $0! }
        for i in fds.indices {
            #expect(ends[i] - connected[i] >= Self.earliestEnd, "connection \(i)")
            #expect(ends[i] - connected[i] < Self.latestEnd, "connection \(i)")
        }
        // In accept order, so each FIN comes after the one before (less a poll's jitter).
        for i in 1..<ends.count { #expect(ends[i] >= ends[i - 1] - 1_000_000, "connection \(i)") }
        try waitUntil { s.counters.activeCloses == 50 }
        let c = s.stop()
        #expect(c.passiveCloses == 0)
        #expect(c.errors == 0)
    }

    @Test func stoppingEndsEveryHoldAsTheServersOwnClose() throws {
        let s = try server(close: .server, awaitRequest: false, holdNanos: 60_000_000_000)
        defer { s.stop() }
        let fds = try (0..<5).map { _ in try connect(s) }
        defer { for fd in fds { Socket.close(fd) } }
        try waitUntil { s.counters.open == 5 }
        let asked = MonotonicClock.now()
        let c = s.stop()
        #expect(MonotonicClock.now() - asked < 1_000_000_000)
        #expect(c.activeCloses == 5)
        #expect(c.open == 0)
        for fd in fds { #expect(readToEnd(fd).isEmpty) }  // a FIN, not an RST
    }

    @Test func noHoldStillClosesRightAfterAccept() throws {
        let s = try server(close: .server, awaitRequest: false, holdNanos: 0)
        defer { s.stop() }
        let connected = MonotonicClock.now()
        let fd = try connect(s)
        defer { Socket.close(fd) }
        #expect(readToEnd(fd).isEmpty)
        #expect(MonotonicClock.now() - connected < 250_000_000, "well under the 300 ms hold the others use")
    }
}
