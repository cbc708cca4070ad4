import TwloadSystem

/// The event loop's side of a latency histogram: the same log-linear buckets as `LatencyHistogram`, in
/// slot storage the loop owns outright. Recording is a store through a pointer (no copy-on-write
/// uniqueness check, no bounds check, no growth path), which matters at three records per connection.
/// A record updates the bucket, the total and the exact maximum; the top bucket in use is the maximum's,
/// so it is worked out once per interval, when `takeSnapshot()` hands the buckets in use to a
/// `LatencyHistogram` value and clears them.
public struct LatencyRecorder: ~Copyable {
    @usableFromInline let counts: SlotStorage<UInt64>
    @usableFromInline let highest: UInt64
    @usableFromInline var totalCount: UInt64 = 0
    @usableFromInline var maxRecorded: UInt64 = 0

    /// Values (microseconds) above `highest` are clamped to it.
    public init(highest: UInt64 = LatencyHistograms.highestMicros) {
        self.highest = highest
        counts = SlotStorage(repeating: 0, count: LatencyHistogram.index(of: highest) + 1)
    }

    /// Records a duration given in nanoseconds as microseconds (negative counts as 0).
    @inlinable @inline(__always)
    public mutating func record(nanos: Int64) {
        let v = LatencyHistograms.micros(nanos, clampedTo: highest)
        let i = LatencyHistogram.index(of: v)
        counts[i] &+= 1
        totalCount &+= 1
        if v > maxRecorded { maxRecorded = v }
    }

    /// What was recorded since the last snapshot, as a histogram trimmed to the buckets in use; this
    /// recorder starts over (only the used prefix is cleared).
    public mutating func takeSnapshot() -> LatencyHistogram {
        guard totalCount > 0 else {
            return LatencyHistogram(highest: highest, counts: [0], totalCount: 0, maxRecorded: 0, topIndex: 0)
        }
        let topIndex = LatencyHistogram.index(of: maxRecorded)
        let h = LatencyHistogram(highest: highest, counts: counts.prefix(topIndex + 1), totalCount: totalCount,
                                 maxRecorded: maxRecorded, topIndex: topIndex)
        counts.reset(prefix: topIndex + 1)
        totalCount = 0
        maxRecorded = 0
        return h
    }
}

/// The three recorders of one event loop, mirroring `LatencyHistograms`.
public struct LatencyRecorders: ~Copyable {
    public var connect = LatencyRecorder()
    public var connectCall = LatencyRecorder()
    public var lag = LatencyRecorder()

    public init() {}

    /// This interval's three histograms; the recorders start over.
    public mutating func takeSnapshot() -> LatencyHistograms {
        LatencyHistograms(connect: connect.takeSnapshot(), connectCall: connectCall.takeSnapshot(),
                          lag: lag.takeSnapshot())
    }
}
