import Glibc
import Testing
import TwloadModel
import TwloadServer
import TwloadStats
import TwloadSystem

/// The built-in server on loopback, driven by plain blocking-style clients (a few connections each).
struct BuiltinServerTests {
    /// A started server; with a hold, it publishes its counters every 10 ms (instead of every second) so
    /// that tests see them while connections are held.
    func server(
        close: CloseSide, linger: LingerMode = .off, wireProtocol: WireProtocol = .tcp, awaitRequest: Bool,
        holdNanos: Int64 = 0
    )
        throws -> BuiltinServer
    {
        var settings = ServerSettings(
            listen: SocketAddress(ip: "127.0.0.1", port: 0)!, close: close, linger: linger,
            wireProtocol: wireProtocol, awaitRequest: awaitRequest)
        settings.holdNanos = holdNanos
        let s = try BuiltinServer(settings: settings)
        try s.start(intervalNanos: holdNanos > 0 ? 10_000_000 : 1_000_000_000)
        return s
    }

    /// A connected client socket (non-blocking): connect() is repeated until it reports EISCONN, which takes
    /// microseconds on loopback.
    func connect(_ s: BuiltinServer) throws -> Int32 {
        let fd = try Socket.tcp(family: s.address.family)
        let target = PreparedAddress(s.address)
        try waitUntil {
            let r = Socket.connect(fd, to: target)
            return r == .connected || r == .failed(Errno(rawValue: EISCONN))
        }
        return fd
    }

    /// Reads until end of file (or up to ~2 s); the bytes read.
    func readToEnd(_ fd: Int32) -> [UInt8] {
        var out: [UInt8] = []
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 8)
        defer { buffer.deallocate() }
        for _ in 0..<4000 {
            switch Socket.read(fd, into: buffer) {
            case .processed(let n): out += buffer.prefix(n)
            case .endOfFile, .failed: return out
            case .wouldBlock: usleep(500)
            }
        }
        return out
    }

    func waitUntil(_ done: () -> Bool) throws {
        for _ in 0..<4000 where !done() { usleep(500) }
        try #require(done())
    }

    func send(_ fd: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Socket.write(fd, $0) }
    }

    @Test func serverCloseRepliesThenSendsTheFirstFin() throws {
        let s = try server(close: .server, awaitRequest: true)
        defer { s.stop() }
        for _ in 0..<3 {
            let fd = try connect(s)
            send(fd, "ping")
            #expect(readToEnd(fd) == Array("ok\n".utf8))  // reply, then the server's FIN
            Socket.close(fd)
        }
        try waitUntil { s.counters.activeCloses == 3 }
        let c = s.stop()
        #expect(c.accepted == 3)
        #expect(c.passiveCloses == 0)
        #expect(c.open == 0)
    }

    @Test func clientCloseWaitsForTheClientsFin() throws {
        let s = try server(close: .client, awaitRequest: false)
        defer { s.stop() }
        for _ in 0..<3 {
            let fd = try connect(s)
            Socket.close(fd)
        }
        try waitUntil { s.counters.passiveCloses == 3 }
        let c = s.stop()
        #expect(c.accepted == 3)
        #expect(c.activeCloses == 0)
    }

    @Test func anHttpRequestSplitAcrossWritesGetsOneResponseWithConnectionClose() throws {
        let s = try server(close: .server, wireProtocol: .http, awaitRequest: true)
        defer { s.stop() }
        let fd = try connect(s)
        send(fd, "GET / HTTP/1.1\r\nHost: x\r")
        usleep(20_000)
        send(fd, "\n\r\n")
        let response = String(decoding: readToEnd(fd), as: UTF8.self)
        Socket.close(fd)
        #expect(response.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(response.contains("Connection: close\r\n"))
        #expect(response.hasSuffix("\r\n\r\nok\n"))
    }

    @Test func aClientResetIsCountedAsAReset() throws {
        let s = try server(close: .client, awaitRequest: false)
        defer { s.stop() }
        let fd = try connect(s)
        try waitUntil { s.counters.accepted == 1 }
        try SocketOptions.setLinger(fd, seconds: 0)
        Socket.close(fd)  // RST
        try waitUntil { s.counters.resets == 1 }
        #expect(s.stop().passiveCloses == 0)
    }

    @Test func anEventForAConnectionClosedInTheSameBatchIsIgnored() throws {
        // Many connections opened and reset at once: the server releases and reuses fds while events for
        // the old connections are still queued; generation tags keep them from reaching the new ones.
        let s = try server(close: .client, awaitRequest: false)
        defer { s.stop() }
        for _ in 0..<5 {
            var fds: [Int32] = []
            for _ in 0..<20 { fds.append(try connect(s)) }
            for fd in fds {
                try SocketOptions.setLinger(fd, seconds: 0)
                Socket.close(fd)
            }
        }
        try waitUntil { s.counters.open == 0 && s.counters.accepted == 100 }
        let c = s.stop()
        #expect(c.resets + c.passiveCloses == 100)
        #expect(c.errors == 0)
    }
}
