import Glibc
import Testing
import TwloadEventLoop
import TwloadModel
import TwloadSystem

@testable import TwloadServer

/// `--hold` counts from each connection's own accept, not from when the server's loop last read the clock.
@Suite struct ServerLoopHoldStartTests {
    @Test func aConnectionAcceptedLateInABurstKeepsItsWholeHold() throws {
        let hold: Int64 = 300_000_000
        var settings = ServerSettings(
            listen: SocketAddress(ip: "127.0.0.1", port: 0)!, close: .server, linger: .off,
            wireProtocol: .tcp, awaitRequest: false)
        settings.holdNanos = hold
        let listenFD = try Socket.tcp(family: settings.listen.family)
        defer { Socket.close(listenFD) }
        try Socket.bind(listenFD, to: settings.listen)
        try Socket.listen(listenFD, backlog: 16)
        var address = settings.listen
        address.port = try Socket.localPort(listenFD)
        var loop = try ServerLoop(
            settings: settings, listenFD: listenFD, control: RunControl(), holdRelease: RunControl())

        // The loop read its clock (`stale`); the connection reaches the backlog 50 ms later, while the
        // burst that accepts it still carries that reading, as a descheduled server thread would.
        let stale = MonotonicClock.now()
        usleep(50_000)
        let connected = MonotonicClock.now()
        let client = try Socket.tcp(family: address.family)
        defer { Socket.close(client) }
        let target = PreparedAddress(address)
        for _ in 0..<4000 {
            let r = Socket.connect(client, to: target)
            if r == .connected || r == .failed(Errno(rawValue: EISCONN)) { break }
            usleep(500)
        }
        loop.acceptBurst(now: stale)

        try #require(loop.counters.accepted == 1)
        #expect(loop.holds.count == 1)
        #expect(
            loop.holds.nextDeadline >= connected + hold, "ends \(connected + hold - loop.holds.nextDeadline) ns early")
        loop.endEveryHold()
    }
}
