import Testing

@testable import Twload

@Suite struct ConnectionTableTests {
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

    @Test func oldestOpenFollowsStartOrder() {
        var t = ConnectionTable(capacity: 64)
        #expect(t.oldestOpen == nil)
        t.open(7, scheduled: 1, started: 1)
        t.open(3, scheduled: 2, started: 2)
        t.open(9, scheduled: 3, started: 3)
        #expect(t.oldestOpen == 7)
        t.release(7)
        #expect(t.oldestOpen == 3)
        t.release(9)
        #expect(t.oldestOpen == 3)
        t.release(3)
        #expect(t.oldestOpen == nil)
        t.open(4, scheduled: 4, started: 4)
        #expect(t.oldestOpen == 4)
    }

    @Test func releasingAMiddleConnectionKeepsTheListLinked() {
        var t = ConnectionTable(capacity: 64)
        t.open(1, scheduled: 1, started: 1)
        t.open(2, scheduled: 2, started: 2)
        t.open(3, scheduled: 3, started: 3)
        t.release(2)
        t.release(1)
        #expect(t.oldestOpen == 3)
        t.open(2, scheduled: 4, started: 4)
        t.release(3)
        #expect(t.oldestOpen == 2)
    }

    @Test func connectedConnectionLeavesTheConnectingListButStaysOpen() {
        var t = ConnectionTable(capacity: 64)
        t.open(7, scheduled: 1, started: 1)
        t.open(3, scheduled: 2, started: 2)
        t.open(9, scheduled: 3, started: 3)
        #expect(t.oldestStillConnecting == 7)
        t.setState(7, .sending)
        #expect(t.oldestStillConnecting == 3)
        #expect(t.oldestOpen == 7)
        #expect(t.slots[7].state == .sending)
        t.setState(3, .receiving)
        #expect(t.oldestStillConnecting == 9)
        t.release(9)
        #expect(t.oldestStillConnecting == nil)
        #expect(t.oldestOpen == 7)
        #expect(t.openCount == 2)
    }

    @Test func connectingListSkipsAConnectedMiddleEntry() {
        var t = ConnectionTable(capacity: 64)
        t.open(1, scheduled: 1, started: 1)
        t.open(2, scheduled: 2, started: 2)
        t.open(3, scheduled: 3, started: 3)
        t.setState(2, .receiving)
        t.release(1)
        #expect(t.oldestStillConnecting == 3)
        // Releasing a connected connection must not disturb the connecting list.
        t.release(2)
        #expect(t.oldestStillConnecting == 3)
        #expect(t.oldestOpen == 3)
    }

    @Test func reopenedFdRejoinsTheConnectingListAtTheEnd() {
        var t = ConnectionTable(capacity: 64)
        t.open(1, scheduled: 1, started: 1)
        t.open(2, scheduled: 2, started: 2)
        t.release(1)
        t.open(1, scheduled: 3, started: 3)
        #expect(t.oldestStillConnecting == 2)
        t.setState(2, .sending)
        #expect(t.oldestStillConnecting == 1)
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
        #expect(t.oldestOpen == 2)
        t.release(2)
        #expect(t.oldestOpen == 40)
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

/// The start-order ring behind the timeout queues.
struct StartOrderQueueTests {
    @Test func growingKeepsTheStartOrderForBothCursors() {
        var q = StartOrderQueue(capacity: 16)
        for t in 0..<10 as Range<UInt64> { q.append(t) }
        for _ in 0..<6 { q.removeFirst(.open) }  // heads moved: the ring wraps when it grows
        for _ in 0..<3 { q.removeFirst(.connecting) }
        for t in 10..<60 as Range<UInt64> { q.append(t) }
        for (cursor, from) in [(StartOrderQueue.Cursor.open, 6), (.connecting, 3)] as [(StartOrderQueue.Cursor, UInt64)] {
            var seen: [UInt64] = []
            while let t = q.first(cursor) {
                seen.append(t)
                q.removeFirst(cursor)
            }
            #expect(seen == Array(from..<60))
        }
        #expect(q.first(.open) == nil && q.first(.connecting) == nil)
    }

    @Test func closedTagsAreSkippedByBothCursorsUntilAnOpenOneHoldsTheOpenCursor() {
        var q = StartOrderQueue(capacity: 16)
        for t in 0..<5 as Range<UInt64> { q.append(t) }
        // 0 closed, 1 connected but open, 2 closed, 3 still connecting, 4 closed.
        let states: [StartOrderQueue.TagState] = [.closed, .open, .closed, .connecting, .closed]
        var examined: [UInt64] = []
        let first = q.firstConnecting { tag in
            examined.append(tag)
            return states[Int(tag)]
        }
        #expect(first == 3)
        #expect(examined == [0, 1, 2, 3])
        #expect(q.first(.connecting) == 3)
        #expect(q.first(.open) == 1)  // moved past 0 with the connecting cursor, held by 1
    }

    @Test func closedConnectionsLeaveBothTimeoutQueuesInOrder() {
        var t = ConnectionTable(capacity: 16)
        for fd in 3...8 as ClosedRange<Int32> { t.open(fd, scheduled: 0, started: Int64(fd)) }
        t.release(3)
        t.setState(4, .awaitingEOF)
        t.release(5)
        t.release(6)
        #expect(t.oldestStillConnecting == 7)
        #expect(t.oldestOpen == 4)
        t.release(4)
        #expect(t.oldestOpen == 7)
        t.release(7)
        #expect(t.oldestStillConnecting == 8)
        #expect(t.oldestOpen == 8)
    }

    @Test func aLongLivedConnectionKeepsTheQueueHeadWhileOthersCome() {
        var t = ConnectionTable(capacity: 16)
        t.open(3, scheduled: 0, started: 0)
        t.setState(3, .awaitingEOF)
        // Far more short connections than the initial ring holds, all closed again.
        for i in 0..<200 as Range<Int64> {
            t.open(4, scheduled: i, started: i)
            t.release(4)
        }
        #expect(t.oldestOpen == 3)
        #expect(t.oldestStillConnecting == nil)
        t.release(3)
        #expect(t.oldestOpen == nil)
        #expect(t.openCount == 0)
    }
}
