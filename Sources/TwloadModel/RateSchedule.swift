/// The load over time: consecutive stages of constant rate or linear ramps. Attempt g (counting from 0
/// over all threads) is due when the cumulative number of scheduled attempts N(t) reaches g.
public struct RateSchedule: Sendable, Equatable {
    /// One stage: the rate goes linearly from `from` to `to` over `seconds` (from == to: constant).
    public struct Stage: Sendable, Equatable {
        public var from: Double
        public var to: Double
        public var seconds: Double
        public init(from: Double, to: Double, seconds: Double) {
            self.from = from
            self.to = to
            self.seconds = seconds
        }
        /// Attempts scheduled in the first `t` seconds of the stage.
        func count(at t: Double) -> Double { from * t + (to - from) * t * t / (2 * seconds) }
        /// The moment (seconds into the stage) at which `n` attempts have been scheduled, at most the
        /// stage's length. The root of `count(at:) = n` is written as 2n / (from + √(from² + 2·slope·n)),
        /// which has no cancellation for tiny slopes and is exactly n / from for a constant stage.
        func time(ofCount n: Double) -> Double {
            guard n > 0 else { return 0 }
            let slope = (to - from) / seconds
            let t = 2 * n / (from + max(0, from * from + 2 * slope * n).squareRoot())
            return t.isNaN ? seconds : min(t, seconds)
        }
    }

    /// The longest schedule a run may have: 366 days, the same as the longest `--duration`.
    public static let maximumSeconds = 366 * 86_400.0

    public let stages: [Stage]
    /// Cumulative attempts at the start of each stage, and start time of each stage.
    private let startCounts: [Double]
    private let startTimes: [Double]
    /// Cached, because the pacer asks for them on every attempt.
    public let durationNanos: Int64
    /// The rate when this is one constant stage, else nil.
    public let constantRate: Double?
    /// For one constant stage, the time between attempts in units of 2^-32 ns (see
    /// `constantRateNanos(ofAttempt:step:)`); 0 when the schedule is not constant or the rate is below
    /// about 0.24/s (a step of 2^32 ns or more), where the floating-point formula is used instead.
    public let constantStep: UInt64

    public init(stages: [Stage]) {
        self.stages = stages
        var c = 0.0
        var t = 0.0
        var counts: [Double] = []
        var times: [Double] = []
        for s in stages {
            counts.append(c)
            times.append(t)
            c += s.count(at: s.seconds)
            t += s.seconds
        }
        startCounts = counts
        startTimes = times
        // Total for any stages: a schedule longer than Int64 nanoseconds (292 years) ends there. Inputs are
        // held to `maximumSeconds` before they get here, so this only keeps the arithmetic from trapping.
        durationNanos = Int64(saturating: (t * 1e9).rounded())
        constantRate = stages.count == 1 && stages[0].from == stages[0].to ? stages[0].from : nil
        constantStep = constantRate.map(Self.fixedPointStep(rate:)) ?? 0
    }

    /// A constant rate for `seconds`.
    public static func constant(rate: Double, seconds: Double) -> RateSchedule {
        RateSchedule(stages: [Stage(from: rate, to: rate, seconds: seconds)])
    }

    /// The highest rate anywhere in the schedule.
    public var peakRate: Double { stages.map { max($0.from, $0.to) }.max() ?? 0 }

    /// Attempts scheduled in [0, t).
    public func count(before t: Double) -> Double {
        guard t > 0, let i = Self.lastIndex(in: startTimes, where: { $0 <= t }) else { return 0 }
        return startCounts[i] + stages[i].count(at: min(t - startTimes[i], stages[i].seconds))
    }

    /// The last index of an ascending array whose value satisfies `isBefore` (a predicate that holds for a
    /// prefix), or nil if none does. A binary search, so that a 100,000-stage schedule costs 17 steps.
    static func lastIndex(in ascending: [Double], where isBefore: (Double) -> Bool) -> Int? {
        var low = 0
        var high = ascending.count
        while low < high {
            let mid = (low + high) / 2
            if isBefore(ascending[mid]) { low = mid + 1 } else { high = mid }
        }
        return low == 0 ? nil : low - 1
    }

    /// 1e9 / rate in units of 2^-32 ns, rounded; 0 if it does not fit in 64 bits (rates below ~0.24/s).
    static func fixedPointStep(rate: Double) -> UInt64 {
        let step = (1e9 / rate * 4_294_967_296).rounded()
        return step >= 1 && step < 0x1p64 ? UInt64(step) : 0
    }

    /// When attempt `g` of a constant rate is due: g × step, rounded to the nearest nanosecond. Integer
    /// arithmetic (one 64×64→128-bit multiply), so the pacer's fast path costs a few instructions per
    /// attempt instead of a floating-point division and conversion. The step is rounded to 2^-33 ns, so
    /// the result is within 1 ns of the exact g / rate for the first 2^33 attempts (a day at 99,000/s)
    /// and within 11 ns after a day at 1,000,000/s.
    /// The pacer's inline fast path uses it too, so the two cannot drift apart. Not negative; may exceed
    /// Int64 only for absurd `g`, so the caller compares before converting.
    @inlinable @inline(__always)
    public static func constantRateNanos(ofAttempt g: Int64, step: UInt64) -> UInt128 {
        (UInt128(UInt64(bitPattern: g)) &* UInt128(step) &+ 0x8000_0000) &>> 32
    }

    /// The exact-rate formula for constant rates too slow for the fixed-point step: g / rate, rounded.
    static func slowConstantRateNanos(ofAttempt g: Int64, rate: Double) -> Int64 {
        Int64(saturating: Double(g) * 1e9 / rate + 0.5)
    }

    /// When attempt `g` is due, in nanoseconds from the start; nil if the schedule ends first.
    public func nanos(ofAttempt g: Int64) -> Int64? {
        if constantStep != 0 {
            let ns = Self.constantRateNanos(ofAttempt: g, step: constantStep)
            return ns < UInt128(durationNanos) ? Int64(ns) : nil
        }
        if let r = constantRate {
            let ns = Self.slowConstantRateNanos(ofAttempt: g, rate: r)
            return ns < durationNanos ? ns : nil
        }
        // The stage in which the count reaches g: the last one that starts below it (attempt 0 is at 0,
        // even when the first stages schedule next to nothing).
        let n = Double(g)
        guard n > 0 else { return durationNanos > 0 ? 0 : nil }
        guard let i = Self.lastIndex(in: startCounts, where: { $0 < n }) else { return nil }
        let t = startTimes[i] + stages[i].time(ofCount: n - startCounts[i])
        // Compared as a Double first: a far attempt of a very slow schedule is beyond Int64 nanoseconds.
        let ns = (t * 1e9).rounded()
        return ns < Double(durationNanos) ? Int64(ns) : nil
    }

    /// The `target_rate` of a row covering [t0, t1) seconds: the rate the schedule asked for, averaged over
    /// the part of the row that the schedule covers. A row that lies wholly after the schedule (the drain)
    /// gets the rate the schedule ended with, and one wholly before it the rate it starts with, so a
    /// constant schedule gives its rate in every row and no row that had attempts gets 0.
    public func scheduledRate(from t0: Double, to t1: Double) -> Double {
        guard let first = stages.first, let last = stages.last else { return 0 }
        let end = Double(durationNanos) / 1e9
        let a = max(0, t0)
        let b = min(t1, end)
        if b > a {
            if let constantRate { return constantRate }
            return (count(before: b) - count(before: a)) / (b - a)
        }
        return t0 >= end ? last.to : first.from
    }
}
