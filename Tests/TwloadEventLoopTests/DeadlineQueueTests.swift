import Testing

import TwloadEventLoop

/// The deadline ring: first in, first out, across wrap-arounds and doublings.
struct DeadlineQueueTests {
    @Test func compactingDropsEndedHoldsAndKeepsTheRestInOrderAcrossTheWrap() {
        var q = DeadlineQueue(capacity: 8)
        // Move the front to 5, so that the 8 queued entries wrap around the ring's end.
        for i in 0..<5 { q.push(deadline: Int64(i), fd: Int32(i), generation: 0) }
        for _ in 0..<5 { _ = q.popFront() }
        for i in 0..<8 { q.push(deadline: Int64(10 + i), fd: Int32(10 + i), generation: 0) }
        #expect(q.count == 8 && q.capacity == 8)
        q.compact { $0.fd % 3 != 0 }  // 12 and 15 ended during their hold
        #expect(q.count == 6 && q.capacity == 8)
        var out: [Int32] = []
        while let e = q.popFront() { out.append(e.fd) }
        #expect(out == [10, 11, 13, 14, 16, 17])
    }

    @Test func aServerWhoseClientsLeaveEarlyKeepsItsRingSmall() {
        // Each round: the ring is full, a compaction keeps only the 10 live holds, so it never doubles.
        var q = DeadlineQueue(capacity: 64)
        var fd: Int32 = 0
        for _ in 0..<1_000 {
            let liveFrom = fd - 10
            q.makeRoom { $0.fd >= liveFrom }
            q.push(deadline: Int64(fd), fd: fd, generation: 0)
            fd += 1
        }
        #expect(q.capacity == 64, "ended holds are dropped instead of doubling the ring")
        // When most holds are live, the ring doubles instead.
        var busy = DeadlineQueue(capacity: 4)
        for i in 0..<5 {
            busy.makeRoom { _ in true }
            busy.push(deadline: Int64(i), fd: Int32(i), generation: 0)
        }
        #expect(busy.capacity == 8 && busy.count == 5)
    }

    @Test func entriesComeOutInTheOrderTheyWentInAcrossWrapAroundsAndGrowth() {
        var q = DeadlineQueue(capacity: 4)
        var next: Int32 = 0
        var expected: Int32 = 0
        // Push 3, pop 2, repeatedly: the front moves around the ring while it fills and doubles.
        for _ in 0..<200 {
            for _ in 0..<3 {
                q.push(deadline: Int64(next), fd: next, generation: UInt32(next))
                next += 1
            }
            for _ in 0..<2 {
                let e = q.popFront()
                #expect(e?.fd == expected)
                #expect(e?.generation == UInt32(expected))
                expected += 1
            }
        }
        #expect(q.count == 200)
        #expect(q.capacity == 256)
        while let e = q.popFront() {
            #expect(e.fd == expected)
            expected += 1
        }
        #expect(expected == next)
        #expect(q.isEmpty)
    }

    @Test func onlyEntriesWhoseDeadlineHasPassedAreDue() {
        var q = DeadlineQueue(capacity: 8)
        #expect(q.nextDeadline == .max)
        q.push(deadline: 100, fd: 3, generation: 0)
        q.push(deadline: 200, fd: 4, generation: 0)
        #expect(q.nextDeadline == 100)
        #expect(q.popDue(now: 99) == nil)
        #expect(q.popDue(now: 150)?.fd == 3)
        #expect(q.popDue(now: 150) == nil)
        #expect(q.nextDeadline == 200)
        #expect(q.popDue(now: 200)?.fd == 4)
        #expect(q.nextDeadline == .max)
    }
}
