import TwloadEngine
import TwloadModel

extension Pacer {
    /// A pacer for a constant `totalRate` over `durationNanos`, for tests and benchmarks.
    public init(
        startNanos: Int64, totalRate: Double, threads: Int, threadIndex: Int, durationNanos: Int64,
        maxLagNanos: Int64 = 1_000_000_000
    ) {
        self.init(
            startNanos: startNanos, schedule: .constant(rate: totalRate, seconds: Double(durationNanos) / 1e9),
            threads: threads, threadIndex: threadIndex, maxLagNanos: maxLagNanos, endNanos: startNanos &+ durationNanos)
    }

    /// Ends the schedule early: every attempt not yet taken is returned as a count (to be counted as missed)
    /// and nothing more is due.
    public mutating func skipRemaining() -> Int {
        skip(before: endNanos)
    }
}
