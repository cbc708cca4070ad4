import Testing

@testable import TwloadCensus

/// /proc/net/sockstat as a Linux 6.x kernel prints it.
private let sockstat = """
    sockets: used 1234
    TCP: inuse 27 orphan 3 tw 16384 alloc 45 mem 12
    UDP: inuse 4 mem 2
    UDPLITE: inuse 0
    RAW: inuse 0
    FRAG: inuse 0 memory 0

    """

/// /proc/net/sockstat6: a TCP6 line, but no "TCP:" line.
private let sockstat6 = """
    TCP6: inuse 2
    UDP6: inuse 1
    UDPLITE6: inuse 0
    RAW6: inuse 0
    FRAG6: inuse 0 memory 0

    """

@Suite struct SockStatTests {
    @Test func parsesTheTCPLine() {
        #expect(SockStat.parse(sockstat) == SockStat(inUse: 27, orphans: 3, timeWait: 16384))
    }

    @Test func zeroTimeWaitIsZeroNotMissing() {
        let text = "sockets: used 5\nTCP: inuse 1 orphan 0 tw 0 alloc 1 mem 0\n"
        #expect(SockStat.parse(text) == SockStat(inUse: 1, orphans: 0, timeWait: 0))
    }

    @Test func textWithoutATCPLineGivesNil() {
        #expect(SockStat.parse(sockstat6) == nil)
        #expect(SockStat.parse("") == nil)
        #expect(SockStat.parse("sockets: used 3\nUDP: inuse 1 mem 0\n") == nil)
    }

    @Test func tcpLineWithoutATimeWaitCountGivesNil() {
        #expect(SockStat.parse("TCP: inuse 4 orphan 0 alloc 4 mem 1\n") == nil)
        #expect(SockStat.parse("TCP: inuse 4 orphan 0 tw\n") == nil)
    }

    @Test func missingInUseAndOrphanDefaultToZero() {
        #expect(SockStat.parse("TCP: tw 9\n") == SockStat(inUse: 0, orphans: 0, timeWait: 9))
    }
}
