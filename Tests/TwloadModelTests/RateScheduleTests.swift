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
        #expect(s.scheduledRate(from: 2, to: 3) == 300)
    }

    @Test func linearRampSchedulesTheIntegralOfTheRate() {
        // 0 -> 200/s over 2 s: N(t) = 50 t^2, so 200 attempts in total and attempt 50 at exactly 1 s.
        let s = RateSchedule(stages: [.init(from: 0, to: 200, seconds: 2)])
        #expect(s.count(before: 2) == 200)
        #expect(s.count(before: 1) == 50)
        #expect(s.nanos(ofAttempt: 50) == 1_000_000_000)
        #expect(s.scheduledRate(from: 1, to: 2) == 150)
    }

    @Test func aConstantScheduleGivesItsRateInEveryRowWithoutFloatNoise() {
        let s = RateSchedule.constant(rate: 500, seconds: 3)
        for (t0, t1) in [(0.0, 1.0), (1, 2), (2, 3.0123), (3, 4), (2.5, 2.6)] {
            #expect(s.scheduledRate(from: t0, to: t1) == 500, "[\(t0), \(t1))")
        }
    }

    @Test func aRowLongerThanTheScheduleAveragesOverTheScheduledPartOnly() {
        // The probe: --rate 10000000 --duration 1ms printed 10000, and --interval 8760h printed 3.17e-06.
        let burst = RateSchedule.constant(rate: 1e7, seconds: 0.001)
        #expect(burst.scheduledRate(from: 0, to: 1.02) == 1e7)
        let ramp = RateSchedule(stages: [.init(from: 100, to: 300, seconds: 2)])
        #expect(ramp.scheduledRate(from: 0, to: 8_760 * 3_600) == 200)
    }

    @Test func aDrainOnlyRowGetsTheRateTheScheduleEndedWith() {
        let s = RateSchedule(stages: [.init(from: 100, to: 100, seconds: 1), .init(from: 100, to: 40, seconds: 1)])
        #expect(s.scheduledRate(from: 2, to: 2.5) == 40)
        #expect(s.scheduledRate(from: 1, to: 2.5) == 70)
    }
}
