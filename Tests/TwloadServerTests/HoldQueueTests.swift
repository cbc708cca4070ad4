import Testing

@testable import TwloadServer

/// The held connections' ring: first in, first out, across wrap-arounds and doublings.
struct HoldQueueTests {
    @Test func entriesComeOutInTheOrderTheyWentInAcrossWrapAroundsAndGrowth() {
        var q = HoldQueue(capacity: 4)
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
        var q = HoldQueue(capacity: 8)
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
