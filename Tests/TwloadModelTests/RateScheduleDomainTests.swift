import Testing
import TwloadModel

/// A small deterministic generator (SplitMix64), so that a failing sweep repeats exactly.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The schedule's arithmetic over the whole domain the options accept: rates from 1e-300 to 1e7 per
/// second, stage lengths from 1 ms to 8760 h, and 1 to 100,000 stages. Nothing may trap, and the time of
/// attempt g never decreases as g grows.
struct RateScheduleDomainTests {
    /// Rates spread over every decade of the accepted domain, both ends included.
    static let rates: [Double] = [
        1e-300, 1e-200, 1e-100, 1e-13, 2e-13, 1e-12, 1e-6, 0.01, 0.24, 0.25, 1, 7.5, 1e3, 1e5, 1e7,
    ]
    /// Stage lengths from 1 ms to 8760 h.
    static let seconds: [Double] = [0.001, 0.5, 1, 60, 3_600, 86_400, 8_760 * 3_600]

    /// Attempts to ask for: the first few, some near the schedule's total, and some past it.
    static func probes(_ s: RateSchedule) -> [Int64] {
        let total = s.count(before: Double(s.durationNanos) / 1e9)
        let end = Int64(saturating: total)
        var g: [Int64] = [0, 1, 2, 3, 10, 1_000, 1 << 20, 1 << 40, .max / 4, .max]
        for d in [-2, -1, 0, 1, 2] as [Int64] { g.append(max(0, end &+ d)) }
        return g.sorted()
    }

    /// Asks for every probe's time and checks that the answers never go back and stay in the schedule.
    static func expectMonotonic(_ s: RateSchedule, _ label: String) {
        var last: Int64 = -1
        var ended = false
        for g in probes(s) {
            guard let ns = s.nanos(ofAttempt: g) else {
                ended = true
                continue
            }
            #expect(!ended, "\(label): attempt \(g) is due after an earlier attempt ended the schedule")
            #expect(ns >= last, "\(label): attempt \(g) at \(ns) ns comes before an earlier one at \(last) ns")
            #expect(ns < s.durationNanos, "\(label): attempt \(g) at \(ns) ns is past the end \(s.durationNanos)")
            last = ns
        }
        #expect(s.scheduledRate(from: 0, to: 1).isFinite, "\(label)")
        #expect(s.count(before: .infinity).isFinite, "\(label)")
    }

    @Test(arguments: rates)
    func constantRatesNeverTrapAndStayInOrder(rate: Double) {
        for length in Self.seconds {
            Self.expectMonotonic(.constant(rate: rate, seconds: length), "\(rate)/s for \(length) s")
        }
    }

    @Test(arguments: rates)
    func rampsBetweenAnyTwoRatesNeverTrapAndStayInOrder(from: Double) {
        for to in Self.rates {
            for length in [0.001, 1, 3_600] {
                let s = RateSchedule(stages: [.init(from: from, to: to, seconds: length)])
                Self.expectMonotonic(s, "ramp \(from) to \(to) over \(length) s")
            }
        }
    }

    @Test func aRampOfTinyRatesFromTheProbeHasNoAttemptBeyondTheFirst() {
        // The probe's profile: ramp: [1e-13, 2e-13] for 10 s trapped with "infinite or NaN".
        let s = RateSchedule(stages: [.init(from: 1e-13, to: 2e-13, seconds: 10)])
        #expect(s.nanos(ofAttempt: 0) == 0)
        #expect(s.nanos(ofAttempt: 1) == nil)
    }

    @Test func theProbesLongScheduleEndsAtInt64RangeInsteadOfTrapping() {
        // 321 stages of 8000 h overflowed Int64 nanoseconds in init; profiles now refuse more than 366 days,
        // and the schedule itself saturates.
        let s = RateSchedule(stages: Array(repeating: .init(from: 1, to: 1, seconds: 8_000 * 3_600), count: 321))
        #expect(s.durationNanos == .max)
        Self.expectMonotonic(s, "321 x 8000 h")
    }

    @Test(arguments: [1, 2, 10, 1_000, 100_000])
    func manyMixedStagesNeverTrapAndStayInOrder(count: Int) {
        var random = SplitMix64(state: UInt64(count))
        let stages = (0..<count).map { _ in
            RateSchedule.Stage(
                from: Self.rates.randomElement(using: &random)!, to: Self.rates.randomElement(using: &random)!,
                seconds: Self.seconds.randomElement(using: &random)!)
        }
        let s = RateSchedule(stages: stages)
        Self.expectMonotonic(s, "\(count) stages")
        // Attempts spread over the whole schedule, in order.
        let total = s.count(before: .infinity)
        let picks = (0..<2_000).map { _ in Int64(saturating: Double.random(in: 0...total, using: &random)) }.sorted()
        var last: Int64 = -1
        for g in picks {
            if let ns = s.nanos(ofAttempt: g) {
                #expect(ns >= last, "\(count) stages: attempt \(g)")
                last = ns
            }
        }
    }

    @Test func int64SaturatingClampsOutOfRangeAndNaN() {
        #expect(Int64(saturating: 1e300) == .max)
        #expect(Int64(saturating: -1e300) == .min)
        #expect(Int64(saturating: .nan) == 0)
        #expect(Int64(saturating: 0x1p63) == .max)
        #expect(Int64(saturating: -2.9) == -2)
    }
}
