import TwloadSystem

/// The event loop's side of a latency histogram: the same log-linear buckets as `LatencyHistogram`, in
/// slot storage the recorder owns outright. At three records per connection, recording must be a handful
/// of instructions: a duration under 2,048 µs (nearly all of them) is a division and one increment
/// through a pointer, with no clamp, no total and no maximum to keep. Those follow from the buckets: below
/// 2,048 µs a bucket is exactly one microsecond, so the highest non-empty one is the exact maximum.
/// Longer (or negative) durations take an out-of-line path that clamps them and keeps their exact
/// maximum. `takeSnapshot()` works out the total and the top bucket once per interval, hands the buckets
/// in use to a `LatencyHistogram` value and clears them.
public struct LatencyRecorder: ~Copyable {
    @usableFromInline let counts: SlotStorage<UInt64>
    @usableFromInline let highest: UInt64
    /// Microsecond values below this land in the exact linear buckets without a clamp:
    /// `min(2,048, highest)`.
    @usableFromInline let linearLimit: UInt64
    /// Recorded through the out-of-line path since the last snapshot, and their exact maximum.
    var slowCount: UInt64 = 0
    var slowMax: UInt64 = 0

    /// Values (microseconds) above `highest` are clamped to it.
    public init(highest: UInt64 = LatencyHistograms.highestMicros) {
        self.highest = highest
        linearLimit = min(LatencyHistogram.subBuckets, highest)
        counts = SlotStorage(repeating: 0, count: LatencyHistogram.index(of: highest) + 1)
    }

    /// Records a duration given in nanoseconds as microseconds (negative counts as 0).
    @inlinable @inline(__always)
    public mutating func record(nanos: Int64) {
        // A negative duration becomes a huge unsigned one here, so it takes the out-of-line path too.
        let us = UInt64(bitPattern: nanos) / 1000
        if us < linearLimit {
            counts[Int(us)] &+= 1
        } else {
            recordOutsideLinearRange(nanos: nanos)
        }
    }

    /// Durations of 2,048 µs or more, and negative ones: clamped into the range and kept track of.
    @usableFromInline @inline(never)
    mutating func recordOutsideLinearRange(nanos: Int64) {
        let v = LatencyHistograms.micros(nanos, clampedTo: highest)
        counts[LatencyHistogram.index(of: v)] &+= 1
        slowCount &+= 1
        if v > slowMax { slowMax = v }
    }

    /// What was recorded since the last snapshot, as a histogram trimmed to the buckets in use; this
    /// recorder starts over (only the used prefix is cleared).
    public mutating func takeSnapshot() -> LatencyHistogram {
        // The linear region's highest non-empty bucket is its exact maximum (one value per bucket).
        var linearTop = Int(linearLimit) - 1
        while linearTop >= 0 && counts[linearTop] == 0 { linearTop -= 1 }
        guard linearTop >= 0 || slowCount > 0 else {
            return LatencyHistogram(highest: highest, counts: [0], totalCount: 0, maxRecorded: 0, topIndex: 0)
        }
        // Out-of-line values are either above every linear one or negative durations counted as 0.
        let maxRecorded = max(slowMax, UInt64(max(0, linearTop)))
        let topIndex = LatencyHistogram.index(of: maxRecorded)
        var total: UInt64 = 0
        for i in 0...topIndex { total &+= counts[i] }
        let h = LatencyHistogram(
            highest: highest, counts: counts.prefix(topIndex + 1), totalCount: total,
            maxRecorded: maxRecorded, topIndex: topIndex)
        counts.reset(prefix: topIndex + 1)
        slowCount = 0
        slowMax = 0
        return h
    }
}

/// The recorders of one event loop, mirroring `LatencyHistograms`.
public struct LatencyRecorders: ~Copyable {
    public var connect = LatencyRecorder()
    public var connectCall = LatencyRecorder()
    public var lag = LatencyRecorder()
    public var response = LatencyRecorder()
    public var firstByte = LatencyRecorder()

    public init() {}

    /// This interval's histograms; the recorders start over.
    public mutating func takeSnapshot() -> LatencyHistograms {
        LatencyHistograms(
            connect: connect.takeSnapshot(), connectCall: connectCall.takeSnapshot(),
            lag: lag.takeSnapshot(), response: response.takeSnapshot(), firstByte: firstByte.takeSnapshot())
    }
}
