import Foundation
import Testing
import TwloadServer
import TwloadSystem

@testable import TwloadCensus

/// The /proc fallback census and the /proc/net/netstat counters.
struct CensusFallbackTests {
    /// Two /proc/net/tcp lines: 127.0.0.1:8080 listening, and 127.0.0.1:40000 -> 127.0.0.1:8080 in TIME_WAIT.
    let procTCP = """
          sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
           0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0000000000000000 100 0 0 10 0
           1: 0100007F:9C40 0100007F:1F90 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0000000000000000
           2: 0200007F:9C41 0100007F:1F90 01 00000000:00000000 00:00000000 00000000     0        0 2 1 0000000000000000
        """

    @Test func procNetTCPCountsByStateForEachFilter() {
        let all = ProcNetTCP.count(procTCP, filter: .none)
        #expect(all.listen == 1)
        #expect(all.timeWait == 1)
        #expect(all.established == 1)
        #expect(ProcNetTCP.count(procTCP, filter: .remotePort(8080)).total == 2)
        #expect(ProcNetTCP.count(procTCP, filter: .localPort(8080)).listen == 1)
        let target = SocketAddress(ip: "127.0.0.1", port: 8080)!
        #expect(ProcNetTCP.count(procTCP, filter: .remote(target)).timeWait == 1)
        #expect(ProcNetTCP.count(procTCP, filter: .local(SocketAddress(ip: "127.0.0.2", port: 0)!)).established == 1)
        #expect(ProcNetTCP.count(procTCP, filter: .local(SocketAddress(ip: "127.0.0.3", port: 0)!)).total == 0)
    }

    @Test func procSpellingOfAddressesIsLittleEndianPerWord() {
        #expect(ProcNetTCP.hex(SocketAddress(ip: "127.0.0.1", port: 0)!) == "0100007F")
        #expect(ProcNetTCP.hex(SocketAddress(ip: "::1", port: 0)!) == "00000000000000000000000001000000")
    }

    @Test func netstatSynAndListenCountersAreReadByNameAndMissingOnesAreZero() {
        let text = """
            TcpExt: ListenOverflows ListenDrops TW TWRecycled TCPTimeWaitOverflow TCPSynRetrans
            TcpExt: 4 6 10 0 0 1078
            """
        let c = TcpCounters.parse(text)
        #expect(c?.synRetrans == 1078)
        #expect(c?.listenOverflows == 4)
        #expect(c?.listenDrops == 6)
        #expect(c?.since(TcpCounters(expired: 0, recycled: 0, overflow: 0, synRetrans: 78)).synRetrans == 1000)
        let old = TcpCounters.parse("TcpExt: TW TWRecycled TCPTimeWaitOverflow\nTcpExt: 1 2 3")
        #expect(old == TcpCounters(expired: 1, recycled: 2, overflow: 3))
    }

    @Test func netstatTimeWaitCountersAreReadByName() {
        let text = """
            TcpExt: SyncookiesSent TW TWRecycled TWKilled TCPTimeWaitOverflow
            TcpExt: 0 120 7 0 3
            IpExt: InNoRoutes
            IpExt: 0
            """
        let c = TcpCounters.parse(text)
        #expect(c == TcpCounters(expired: 120, recycled: 7, overflow: 3))
        #expect(
            c?.since(TcpCounters(expired: 100, recycled: 7, overflow: 1))
                == TcpCounters(expired: 20, recycled: 0, overflow: 2))
        #expect(TcpCounters.parse("IpExt: a\nIpExt: 1") == nil)
    }

    @Test(.enabled(if: getuid() == 0, "sock_diag of other users' sockets needs root"))
    func procFallbackAgreesWithSockDiagOnLiveSockets() throws {
        let server = try BuiltinServer(
            settings: ServerSettings(
                listen: SocketAddress(ip: "127.0.0.1", port: 0)!, close: .client, linger: .off,
                wireProtocol: .tcp, awaitRequest: false))
        try server.start()
        defer { server.stop() }
        var fds: [Int32] = []
        for _ in 0..<5 {
            let fd = try Socket.tcp(family: server.address.family)
            _ = Socket.connect(fd, to: PreparedAddress(server.address))
            fds.append(fd)
        }
        Sleep.nanoseconds(100_000_000)
        let filter = PortFilter.remote(server.address)
        let viaNetlink = try SockDiagCounter().count(filter: filter)
        let viaProc = try ProcNetTCP.read(filter: filter)
        for fd in fds { Socket.close(fd) }
        #expect(viaNetlink.established == 5)
        #expect(viaProc == viaNetlink)
    }

    @Test func samplerSkipsABoundaryItHasNotReachedInsteadOfReportingAStaleSample() throws {
        let sampler = try SocketSampler(views: CensusViews(), warn: { _ in })
        let start = MonotonicClock.now()
        try sampler.start(startNanos: start, intervalNanos: 50_000_000)
        defer { sampler.stop() }
        let first = sampler.sample(atBoundary: 1, timeoutNanos: 500_000_000)
        #expect(first?.boundary == 1)
        // Boundary 40 is two seconds away: within a 10 ms wait there is no sample for it, so nil.
        #expect(sampler.sample(atBoundary: 40, timeoutNanos: 10_000_000) == nil)
    }

    @Test func samplerWaitingForADistantBoundaryStopsWhenAsked() throws {
        let sampler = try SocketSampler(views: CensusViews(), warn: { _ in })
        // The first boundary is a minute away: the thread is asleep in its wait when the stop comes.
        try sampler.start(startNanos: MonotonicClock.now(), intervalNanos: 60_000_000_000)
        Sleep.nanoseconds(20_000_000)
        let before = MonotonicClock.now()
        sampler.stop()  // joins the thread
        #expect(MonotonicClock.now() - before < 5_000_000_000, "the stop ended the wait, not the boundary")
        #expect(sampler.sample(atBoundary: 1, timeoutNanos: 0) == nil)
    }
}
