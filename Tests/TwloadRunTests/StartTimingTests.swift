import Testing
import TwloadModel

@testable import TwloadRun

/// How `--start-at` maps onto the monotonic clock: on time, early or late.
struct StartTimingTests {
    let start = WallTime(unixNanos: 1_796_166_000_000_000_000)

    @Test func aStartWellAheadBeginsExactlyThereWithNothingLate() {
        let t = StartTiming.at(start, clocks: (start.unixNanos - 40_000_000, 5_000_000_000))
        #expect(t.originNanos == 5_040_000_000)
        #expect(t.joinNanos == t.originNanos)
        #expect(t.lateNanos == 0)
        #expect(t.originWall == start)
    }

    @Test func aStartAlreadyPastKeepsItsOriginAndJoinsLate() {
        let t = StartTiming.at(start, clocks: (start.unixNanos + 2_000_000_000, 9_000_000_000))
        #expect(t.originNanos == 7_000_000_000, "interval 0 began 2 s ago on the monotonic clock")
        #expect(t.joinNanos == 9_000_000_000 + StartTiming.leadNanos)
        #expect(t.lateNanos == 2_000_000_000 + StartTiming.leadNanos)
    }

    @Test func aStartCloserThanTheLeadJoinsOnlyTheLeadLate() {
        let t = StartTiming.at(start, clocks: (start.unixNanos - 5_000_000, 1_000_000_000))
        #expect(t.lateNanos == StartTiming.leadNanos - 5_000_000)
    }
}
