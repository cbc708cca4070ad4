import TwloadModel

/// Open-loop schedule for one thread: attempt i of thread k (of n threads) is due at
/// t0 + (i·n + k) / rate, so the threads interleave into one evenly spaced global schedule.
///
/// Pure arithmetic, no clock and no socket: the worker asks what is due at its own "now". An attempt that
/// starts late keeps its scheduled time, so latency is measured from the schedule (no coordinated
/// omission). A stall never turns into an unbounded burst: the worker takes a bounded number of attempts
/// per loop pass, and attempts more than `maxLagNanos` behind are handed out as missed.
public struct Pacer: Sendable {
    /// Start of the schedule (monotonic ns).
    public let startNanos: Int64
    /// The rate over time, over all threads.
    public let schedule: RateSchedule
    /// Number of threads sharing the schedule, and this one's place among them.
    public let threads: Int64
    public let threadIndex: Int64
    /// No attempt is scheduled at or after this time.
    public let endNanos: Int64
    /// Attempts later than this are counted as missed instead of started.
    public let maxLagNanos: Int64
    /// Index of the next attempt (`due` follows it: every change goes through `moveNext(to:)`).
    public private(set) var next: Int64 = 0
    /// The schedule's fixed-point step when it is one constant stage, else 0; with `scheduleNanos`, the
    /// inline integer fast path of `deadline(of:)` (the same formula as `RateSchedule.nanos(ofAttempt:)`).
    private let constantStep: UInt64
    private let scheduleNanos: UInt128
    /// Offsets from the start at or beyond which nothing is due: the end of the schedule or `endNanos`,
    /// whichever comes first.
    private let dueLimitNanos: UInt128
    /// `deadline(of: next)`, or `Int64.max` when that is at or after `endNanos`: kept up to date so that
    /// the loop's several questions per pass are one comparison each.
    private var due: Int64 = .max
    /// For a constant schedule, `take(now:)` advances by addition instead of multiplying per attempt:
    /// `fixedDue` is attempt `next`'s time in units of 2^-32 ns plus half a nanosecond (the rounding of
    /// `RateSchedule.constantRateNanos`), `fixedStride` is this thread's step (`threads` global steps)
    /// and `fixedLimit` is `dueLimitNanos` in the same unit. The sum equals the product exactly.
    private var fixedDue: UInt128 = 0
    private let fixedStride: UInt128
    private let fixedLimit: UInt128

    /// A pacer for this thread's share of `schedule`.
    public init(
        startNanos: Int64, schedule: RateSchedule, threads: Int, threadIndex: Int,
        maxLagNanos: Int64 = 1_000_000_000, endNanos: Int64? = nil
    ) {
        self.startNanos = startNanos
        self.schedule = schedule
        self.threads = Int64(threads)
        self.threadIndex = Int64(threadIndex)
        self.endNanos = endNanos ?? startNanos &+ schedule.durationNanos
        self.maxLagNanos = maxLagNanos
        self.constantStep = schedule.constantStep
        self.scheduleNanos = UInt128(max(0, schedule.durationNanos))
        self.dueLimitNanos = min(scheduleNanos, UInt128(max(0, self.endNanos &- startNanos)))
        self.fixedStride = UInt128(schedule.constantStep) &* UInt128(UInt64(max(1, threads)))
        self.fixedLimit = dueLimitNanos &<< 32
        moveNext(to: 0)
    }

    /// When attempt `i` is due: global attempt g = i·threads + threadIndex, at the moment the schedule has
    /// scheduled g attempts, rounded to the nearest nanosecond (a deadline that is exactly a whole
    /// nanosecond is not truncated below it). `Int64.max` once the schedule has ended.
    @inline(__always)
    public func deadline(of i: Int64) -> Int64 {
        let g = i &* threads &+ threadIndex
        if constantStep != 0 {
            return Self.constantDeadline(
                ofGlobalAttempt: g, step: constantStep, start: startNanos,
                limit: scheduleNanos)
        }
        return generalDeadline(ofGlobalAttempt: g)
    }

    /// The constant-rate fast path of `deadline(of:)` and `moveNext(to:)`: `start` plus the schedule's
    /// time of attempt `g`, or `Int64.max` at or beyond `limit` (nanoseconds from the start). Static, on
    /// plain values, so that calling it from a mutating method copies nothing.
    @inline(__always)
    static func constantDeadline(ofGlobalAttempt g: Int64, step: UInt64, start: Int64, limit: UInt128) -> Int64 {
        let ns = RateSchedule.constantRateNanos(ofAttempt: g, step: step)
        return ns < limit ? start &+ Int64(truncatingIfNeeded: ns) : .max
    }

    /// Ramps, stages and very slow constant rates: out of line, so the fast path stays small.
    @inline(never)
    func generalDeadline(ofGlobalAttempt g: Int64) -> Int64 {
        schedule.nanos(ofAttempt: g).map { startNanos &+ $0 } ?? .max
    }

    /// When the next attempt is due, or nil once the schedule has ended.
    @inline(__always)
    public var nextDeadline: Int64? {
        due == .max ? nil : due
    }

    /// True when an attempt is due at `now` (one comparison: the event loop asks every pass).
    @inline(__always)
    public func hasDue(at now: Int64) -> Bool {
        due <= now
    }

    /// What to do with the next attempt at time `now`.
    public enum Decision: Equatable, Sendable {
        /// Nothing is due yet (or the schedule has ended).
        case wait
        /// Start an attempt that was scheduled at this time.
        case start(scheduledNanos: Int64)
        /// The attempt is too late to start: count it as missed.
        case miss
    }

    /// Takes the next due attempt, if any.
    @inline(__always)
    public mutating func take(now: Int64) -> Decision {
        let d = due
        guard d <= now else { return .wait }
        if constantStep != 0 {
            advanceConstant()
        } else {
            moveNext(to: next &+ 1)
        }
        return now &- d > maxLagNanos ? .miss : .start(scheduledNanos: d)
    }

    /// Makes nothing due from now on, keeping `endNanos`: a closed-loop worker paces itself by its open
    /// connections and asks the pacer only when the schedule ends.
    public mutating func stopScheduling() {
        due = .max
    }

    /// Skips every attempt due before `t` that was not taken yet; returns how many (to count as missed).
    public mutating func skip(before t: Int64) -> Int {
        guard due < t else { return 0 }  // deadlines only grow: nothing before t is left
        let total = scheduledCount(before: t)
        let left = max(0, total - next)
        moveNext(to: max(next, total))
        return Int(left)
    }

    /// Sets the next attempt's index and its deadline, `deadline(of: i)`.
    /// It uses `constantDeadline` directly rather than `deadline(of:)`: calling a method on the pacer from
    /// a mutating one made the compiler copy the whole pacer per attempt.
    @inline(__always)
    private mutating func moveNext(to i: Int64) {
        next = i
        let g = i &* threads &+ threadIndex
        if constantStep != 0 {
            fixedDue = UInt128(UInt64(bitPattern: g)) &* UInt128(constantStep) &+ 0x8000_0000
            due = Self.constantDeadline(
                ofGlobalAttempt: g, step: constantStep, start: startNanos,
                limit: dueLimitNanos)
        } else {
            let d = generalDeadline(ofGlobalAttempt: g)
            due = d < endNanos ? d : .max
        }
    }

    /// `moveNext(to: next + 1)` for a constant schedule: one 128-bit addition and comparison. Equal to
    /// it because `fixedDue` only ever grows by whole strides from the product `moveNext` set.
    @inline(__always)
    private mutating func advanceConstant() {
        next &+= 1
        fixedDue &+= fixedStride
        due = fixedDue < fixedLimit ? startNanos &+ Int64(truncatingIfNeeded: fixedDue &>> 32) : .max
    }

    /// Number of this thread's attempts due before (excluding) time `t`. It is defined by `deadline(of:)`
    /// itself (the first index whose deadline is not before the limit), so the two never disagree.
    public func scheduledCount(before t: Int64) -> Int64 {
        let limit = min(t, endNanos)
        let estimate =
            (schedule.count(before: Double(limit - startNanos) / 1e9) - Double(threadIndex)) / Double(threads)
        var count = max(0, Int64(saturating: estimate.rounded(.down)))
        while count > 0 && deadline(of: count - 1) >= limit { count -= 1 }
        while deadline(of: count) < limit { count += 1 }
        return count
    }
}
