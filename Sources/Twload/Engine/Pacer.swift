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
    /// Nanoseconds between this thread's attempts.
    public let periodNanos: Double
    /// This thread's offset within the global schedule.
    public let offsetNanos: Double
    /// No attempt is scheduled at or after this time.
    public let endNanos: Int64
    /// Attempts later than this are counted as missed instead of started.
    public let maxLagNanos: Int64
    /// Index of the next attempt.
    public private(set) var next: Int64 = 0

    public init(startNanos: Int64, totalRate: Double, threads: Int, threadIndex: Int, durationNanos: Int64,
                maxLagNanos: Int64 = 1_000_000_000) {
        self.startNanos = startNanos
        self.periodNanos = 1e9 * Double(threads) / totalRate
        self.offsetNanos = 1e9 * Double(threadIndex) / totalRate
        self.endNanos = startNanos &+ durationNanos
        self.maxLagNanos = maxLagNanos
    }

    /// When attempt `i` is due.
    @inline(__always)
    public func deadline(of i: Int64) -> Int64 {
        startNanos &+ Int64(offsetNanos + Double(i) * periodNanos)
    }

    /// When the next attempt is due, or nil once the schedule has ended.
    @inline(__always)
    public var nextDeadline: Int64? {
        let d = deadline(of: next)
        return d < endNanos ? d : nil
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
        guard let d = nextDeadline, d <= now else { return .wait }
        next &+= 1
        return now &- d > maxLagNanos ? .miss : .start(scheduledNanos: d)
    }

    /// Ends the schedule early: every attempt not yet taken is returned as a count (to be counted as
    /// missed) and nothing more is due.
    public mutating func skipRemaining() -> Int {
        let total = scheduledCount(before: endNanos)
        let left = max(0, total - next)
        next = max(next, total)
        return Int(left)
    }

    /// Number of attempts scheduled up to (excluding) time `t`, for checking pacing.
    public func scheduledCount(before t: Int64) -> Int64 {
        let limit = min(t, endNanos)
        if limit <= startNanos + Int64(offsetNanos) { return 0 }
        return Int64(((Double(limit - startNanos) - offsetNanos) / periodNanos).rounded(.up))
    }
}
