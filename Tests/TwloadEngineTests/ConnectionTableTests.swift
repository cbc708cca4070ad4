import Testing

@testable import TwloadEngine

@Suite struct ConnectionTableTests {
    @Test func aFailedVerdictNeverReachesTheFdsNextConnection() {
        var t = ConnectionTable(capacity: 64)
        t.open(5, scheduled: 100, started: 110)
        t.beginExchange(5)
        t.slots[5].verdictFailed = true
        t.release(5)
        t.open(5, scheduled: 200, started: 210)
        #expect(!t.slots[5].verdictFailed, "a connect failure on the reused fd would go uncounted")
    }

    @Test func tagOfAFreshConnectionIsGenerationZeroAndTheFd() {
        var t = ConnectionTable(capacity: 64)
        t.open(5, scheduled: 100, started: 110)
        #expect(t.tag(of: 5) == 5)
        #expect(t.lookup(tag: 5) == 5)
    }

    @Test func staleTagIsRejectedAfterTheFdIsReleasedAndReopened() {
        var t = ConnectionTable(capacity: 64)
        t.open(5, scheduled: 100, started: 110)
        let old = t.tag(of: 5)
        t.release(5)
        t.open(5, scheduled: 200, started: 210)
        let current = t.tag(of: 5)
        #expect(current == (1 << 32) | 5)
        #expect(t.lookup(tag: old) == nil)
        #expect(t.lookup(tag: current) == 5)
    }

    @Test func tagIsRejectedOnceItsConnectionIsReleased() {
        var t = ConnectionTable(capacity: 64)
        t.open(9, scheduled: 0, started: 0)
        let tag = t.tag(of: 9)
        t.release(9)
        #expect(t.lookup(tag: tag) == nil)
        #expect(t.lookup(tag: t.tag(of: 9)) == nil)
    }

    @Test func tagOfAnFdBeyondTheTableIsRejected() {
        let t = ConnectionTable(capacity: 16)
        #expect(t.lookup(tag: 1000) == nil)
        #expect(t.lookup(tag: UInt64(UInt32.max)) == nil)
    }

    @Test func tagOfAnFdNeverOpenedIsRejected() {
        let t = ConnectionTable(capacity: 64)
        #expect(t.lookup(tag: 3) == nil)
    }

    @Test func highestOpenFdRisesWithOpensAndIsTrimmedToTheHighestStillOpen() {
        var t = ConnectionTable(capacity: 64)
        #expect(t.highestOpenFd == -1)
        t.open(7, scheduled: 1, started: 1)
        t.open(3, scheduled: 2, started: 2)
        t.open(9, scheduled: 3, started: 3)
        #expect(t.highestOpenFd == 9)
        t.release(9)
        t.release(7)
        #expect(t.highestOpenFd == 9)  // only a trim lowers it
        t.trimHighestOpenFd()
        #expect(t.highestOpenFd == 3)
        t.release(3)
        t.trimHighestOpenFd()
        #expect(t.highestOpenFd == -1)
    }

    @Test func timedOutConnectionsAreFoundInFdOrderWithTheirTimeout() {
        var t = ConnectionTable(capacity: 64)
        t.open(3, scheduled: 0, started: 100)  // still connecting, connect timeout passed
        t.open(5, scheduled: 0, started: 100)
        t.setState(5, .receiving)  // connected, exchange timeout not passed yet
        t.open(6, scheduled: 0, started: 10)
        t.setState(6, .awaitingEOF)  // connected, exchange timeout passed
        t.open(8, scheduled: 0, started: 900)  // still connecting, in time
        var found: [Int32] = []
        var kinds: [ConnectionTable.Timeout] = []
        var from: Int32 = 0
        while let (fd, timeout) = t.firstTimedOut(
            from: from, now: 1_000, connectTimeoutNanos: 500,
            timeoutNanos: 950)
        {
            found.append(fd)
            kinds.append(timeout)
            from = fd + 1
        }
        #expect(found == [3, 6])
        #expect(kinds == [.connect, .exchange])
    }

    @Test func aConnectionPastBothTimeoutsCountsAsAConnectTimeoutWhileConnecting() {
        var t = ConnectionTable(capacity: 64)
        t.open(4, scheduled: 0, started: 0)
        let hit = t.firstTimedOut(from: 0, now: 1_000, connectTimeoutNanos: 500, timeoutNanos: 200)
        #expect(hit?.fd == 4 && hit?.timeout == .connect)
        t.setState(4, .sending)
        let later = t.firstTimedOut(from: 0, now: 1_000, connectTimeoutNanos: 500, timeoutNanos: 200)
        #expect(later?.fd == 4 && later?.timeout == .exchange)
    }

    @Test func releasedConnectionsNeverTimeOut() {
        var t = ConnectionTable(capacity: 64)
        t.open(2, scheduled: 0, started: 0)
        t.release(2)
        #expect(t.firstTimedOut(from: 0, now: .max / 2, connectTimeoutNanos: 1, timeoutNanos: 1) == nil)
        #expect(t.firstOpen(from: 0) == nil)
    }

    @Test func firstOpenWalksTheOpenFdsUpwards() {
        var t = ConnectionTable(capacity: 64)
        for fd in [9, 4, 6] as [Int32] { t.open(fd, scheduled: 0, started: 0) }
        t.release(6)
        #expect(t.firstOpen(from: 0) == 4)
        #expect(t.firstOpen(from: 5) == 9)
        #expect(t.firstOpen(from: 10) == nil)
    }

    @Test func capacityHasAFloorOfSixteen() {
        #expect(ConnectionTable(capacity: 4).slots.count == 16)
        #expect(ConnectionTable(capacity: 100).slots.count == 100)
    }

    @Test func tableGrowsWhenAnFdBeyondCapacityIsOpened() {
        var t = ConnectionTable(capacity: 16)
        t.open(2, scheduled: 5, started: 6)
        t.open(40, scheduled: 1_000, started: 1_234)
        #expect(t.slots.count > 40)  // grown by doubling
        #expect(t.slots[2].startedNanos == 6)  // earlier slots survive the growth
        #expect(t.slots[40].state == .connecting)
        #expect(t.slots[40].scheduledNanos == 1_000)
        #expect(t.slots[40].startedNanos == 1_234)
        #expect(t.lookup(tag: t.tag(of: 40)) == 40)
        // What was there before the growth is intact.
        #expect(t.lookup(tag: 2) == 2)
        #expect(t.slots[2].scheduledNanos == 5)
        #expect(t.highestOpenFd == 40)
        #expect(t.firstOpen(from: 0) == 2)
        t.release(2)
        #expect(t.firstOpen(from: 0) == 40)
    }

    @Test func tableDoublesWhenTheNextFdIsJustPastTheEnd() {
        var t = ConnectionTable(capacity: 16)
        t.open(16, scheduled: 0, started: 0)
        #expect(t.slots.count == 32)
    }

    @Test func openCountFollowsOpensAndReleases() {
        var t = ConnectionTable(capacity: 64)
        #expect(t.openCount == 0)
        t.open(3, scheduled: 0, started: 0)
        t.open(4, scheduled: 0, started: 0)
        t.open(5, scheduled: 0, started: 0)
        #expect(t.openCount == 3)
        t.setState(4, .receiving)
        #expect(t.openCount == 3)
        t.release(4)
        #expect(t.openCount == 2)
        t.release(3)
        t.release(5)
        #expect(t.openCount == 0)
    }

    @Test func reopeningAnFdResetsItsRecordAndTheExchangeResetsTheRest() {
        var t = ConnectionTable(capacity: 64)
        t.open(6, scheduled: 10, started: 11)
        t.setState(6, .sending)
        t.addSent(6, 300)
        #expect(t.slots[6].sent == 300)
        t.release(6)
        #expect(t.slots[6].state == .free)
        #expect(t.slots[6].generation == 1)
        t.open(6, scheduled: 20, started: 21)
        #expect(t.slots[6].state == .connecting)
        #expect(t.slots[6].scheduledNanos == 20)
        #expect(t.slots[6].startedNanos == 21)
        t.beginExchange(6)
        #expect(t.slots[6].state == .sending)
        #expect(t.slots[6].sent == 0)
    }

    @Test func beginningAnExchangeGivesTheConnectionAFreshParser() {
        var t = ConnectionTable(capacity: 64)
        t.open(6, scheduled: 0, started: 0)
        t.beginExchange(6)
        let garbage = Array("NOT HTTP\r\n".utf8)
        let bad = garbage.withUnsafeBytes { t.parse(6, $0) }
        #expect(bad == .malformed)
        t.release(6)
        t.open(6, scheduled: 0, started: 0)
        t.beginExchange(6)
        let response = Array("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".utf8)
        #expect(response.withUnsafeBytes { t.parse(6, $0) } == .complete(status: 200))
    }
}
