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
        /// The moment (seconds into the stage) at which `n` attempts have been scheduled.
        func time(ofCount n: Double) -> Double {
            let slope = (to - from) / seconds
            if abs(slope) < 1e-12 { return n / from }
            return (-from + (max(0, from * from + 2 * slope * n)).squareRoot()) / slope
        }
    }

    public let stages: [Stage]
    /// Cumulative attempts at the start of each stage, and start time of each stage.
    private let startCounts: [Double]
    private let startTimes: [Double]
    /// Cached, because the pacer asks for them on every attempt.
    public let durationNanos: Int64
    /// The rate when this is one constant stage, else nil.
    public let constantRate: Double?

    public init(stages: [Stage]) {
        self.stages = stages
        var c = 0.0, t = 0.0
        var counts: [Double] = [], times: [Double] = []
        for s in stages {
            counts.append(c)
            times.append(t)
            c += s.count(at: s.seconds)
            t += s.seconds
        }
        startCounts = counts
        startTimes = times
        durationNanos = Int64((t * 1e9).rounded())
        constantRate = stages.count == 1 && stages[0].from == stages[0].to ? stages[0].from : nil
    }

    /// A constant rate for `seconds`.
    public static func constant(rate: Double, seconds: Double) -> RateSchedule {
        RateSchedule(stages: [Stage(from: rate, to: rate, seconds: seconds)])
    }

    public var totalSeconds: Double { stages.reduce(0) { $0 + $1.seconds } }
    /// The highest rate anywhere in the schedule.
    public var peakRate: Double { stages.map { max($0.from, $0.to) }.max() ?? 0 }

    /// Attempts scheduled in [0, t).
    public func count(before t: Double) -> Double {
        guard t > 0 else { return 0 }
        for i in stages.indices.reversed() where t >= startTimes[i] {
            return startCounts[i] + stages[i].count(at: min(t - startTimes[i], stages[i].seconds))
        }
        return 0
    }

    /// When attempt `g` of a constant `rate` is due: exactly g / rate, rounded to the nearest nanosecond
    /// (+0.5 and truncate: the value is never negative, and this avoids a libm call per attempt). The
    /// pacer's inline fast path uses it too, so the two cannot drift apart.
    @inline(__always)
    static func constantRateNanos(ofAttempt g: Int64, rate: Double) -> Int64 {
        Int64(Double(g) * 1e9 / rate + 0.5)
    }

    /// When attempt `g` is due, in nanoseconds from the start; nil if the schedule ends first.
    public func nanos(ofAttempt g: Int64) -> Int64? {
        if let r = constantRate {
            let ns = Self.constantRateNanos(ofAttempt: g, rate: r)
            return ns < durationNanos ? ns : nil
        }
        let n = Double(g)
        for i in stages.indices.reversed() where n >= startCounts[i] {
            let t = startTimes[i] + stages[i].time(ofCount: n - startCounts[i])
            let ns = Int64((t * 1e9).rounded())
            return ns < durationNanos ? ns : nil
        }
        return nil
    }

    /// The mean scheduled rate over [t0, t1) seconds: the `target_rate` of an interval.
    public func meanRate(from t0: Double, to t1: Double) -> Double {
        t1 > t0 ? (count(before: t1) - count(before: t0)) / (t1 - t0) : 0
    }
}
