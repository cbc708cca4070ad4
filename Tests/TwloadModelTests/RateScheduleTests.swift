import Testing
import TwloadModel

/// Stages and ramps of a rate schedule.
struct RateScheduleTests {
    @Test func stagesFollowEachOtherAndCountAddsUp() {
        let s = RateSchedule(stages: [.init(from: 100, to: 100, seconds: 2), .init(from: 300, to: 300, seconds: 1)])
        #expect(s.durationNanos == 3_000_000_000)
        #expect(s.count(before: 2) == 200)
        #expect(s.count(before: 3) == 500)
        #expect(s.nanos(ofAttempt: 199) == 1_990_000_000)
        // Attempt 200 is the first of the 300/s stage, due at 2 s; attempt 201 at 2 s + 1/300 s.
        #expect(s.nanos(ofAttempt: 200) == 2_000_000_000)
        #expect(s.nanos(ofAttempt: 201) == 2_003_333_333)
        #expect(s.nanos(ofAttempt: 500) == nil)
        #expect(s.meanRate(from: 2, to: 3) == 300)
    }

    @Test func linearRampSchedulesTheIntegralOfTheRate() {
        // 0 -> 200/s over 2 s: N(t) = 50 t^2, so 200 attempts in total and attempt 50 at exactly 1 s.
        let s = RateSchedule(stages: [.init(from: 0, to: 200, seconds: 2)])
        #expect(s.count(before: 2) == 200)
        #expect(s.count(before: 1) == 50)
        #expect(s.nanos(ofAttempt: 50) == 1_000_000_000)
        #expect(s.meanRate(from: 1, to: 2) == 150)
    }
}
