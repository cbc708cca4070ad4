/// A log-linear latency histogram (HdrHistogram's layout with 2,048 sub-buckets: values below 2,048 are
/// exact, larger ones are kept to within 1/1,024 of their value). Specialised to UInt64 counts so that
/// recording on the hot path is a few instructions: no generic witness calls, no allocation.
///
/// Histograms with the same layout merge exactly (`add`), so intervals, threads and machines combine
/// without loss. Values above `highest` are clamped to it.
public struct LatencyHistogram: Sendable, Equatable {
    /// Sub-bucket count per power of two (the linear region is 0..<subBuckets).
    @inlinable static var subBuckets: UInt64 { 2048 }
    @inlinable static var halfBuckets: UInt64 { 1024 }
    @inlinable static var subBucketBits: Int { 11 }

    public let highest: UInt64
    /// One count per bucket; may be trimmed (a snapshot) or grown on demand. Internal so that the
    /// HdrHistogram extension (`LatencyHistogram+Buckets.swift`) can read it.
    var counts: [UInt64]
    public internal(set) var totalCount: UInt64 = 0
    /// Largest value recorded (exact), 0 when empty.
    public internal(set) var maxRecorded: UInt64 = 0
    /// Highest bucket index in use, so merges and resets touch only that prefix.
    var topIndex = 0

    public init(highest: UInt64 = 3_600_000_000) {
        self.highest = highest
        counts = Array(repeating: 0, count: Self.index(of: highest) + 1)
    }

    /// The bucket of `v`.
    @inlinable @inline(__always)
    static func index(of v: UInt64) -> Int {
        if v < subBuckets { return Int(v) }
        let shift = (64 - v.leadingZeroBitCount) - subBucketBits  // >= 1: v >> shift is in [1024, 2047]
        return Int(subBuckets + UInt64(shift - 1) * halfBuckets + ((v >> UInt64(shift)) - halfBuckets))
    }

    /// The highest value that lands in bucket `i`.
    static func highestValue(inBucket i: Int) -> UInt64 {
        let i = UInt64(i)
        if i < subBuckets { return i }
        let shift = (i - subBuckets) / halfBuckets + 1
        let mantissa = (i - subBuckets) % halfBuckets + halfBuckets
        return ((mantissa + 1) << shift) - 1
    }

    /// Records `value` (`count` times). Always succeeds; the Bool mirrors HdrHistogram's API.
    @inline(__always)
    @discardableResult
    public mutating func record(_ value: UInt64, count: UInt64 = 1) -> Bool {
        let v = value < highest ? value : highest
        let i = Self.index(of: v)
        if i >= counts.count { extend(to: i) }
        counts[i] &+= count
        totalCount &+= count
        if v > maxRecorded { maxRecorded = v }
        if i > topIndex { topIndex = i }
        return true
    }

    /// Adds every count of `other` (same layout) into this one.
    public mutating func add(_ other: LatencyHistogram) {
        precondition(other.highest == highest, "merging histograms with different ranges")
        guard other.totalCount > 0 else { return }
        if other.topIndex >= counts.count { extend(to: other.topIndex) }
        for i in 0...other.topIndex where other.counts[i] != 0 { counts[i] &+= other.counts[i] }
        totalCount &+= other.totalCount
        maxRecorded = max(maxRecorded, other.maxRecorded)
        topIndex = max(topIndex, other.topIndex)
    }

    /// A histogram from recorded buckets (possibly trimmed to `topIndex + 1`): `LatencyRecorder`'s snapshot.
    init(highest: UInt64, counts: [UInt64], totalCount: UInt64, maxRecorded: UInt64, topIndex: Int) {
        self.highest = highest
        self.counts = counts
        self.totalCount = totalCount
        self.maxRecorded = maxRecorded
        self.topIndex = topIndex
    }

    /// Grows a snapshot's storage to hold bucket `i` (cold: snapshots are normally only read or merged).
    @inline(never)
    mutating func extend(to i: Int) {
        counts.append(contentsOf: repeatElement(0, count: i + 1 - counts.count))
    }

    public mutating func reset() {
        guard totalCount > 0 else { return }
        for i in 0...topIndex { counts[i] = 0 }
        totalCount = 0
        maxRecorded = 0
        topIndex = 0
    }

    /// The smallest value v such that `percentile` % of the recorded values are ≤ v (to bucket precision,
    /// never above the largest value recorded); 0 when empty.
    public func valueAtPercentile(_ percentile: Double) -> UInt64 {
        guard totalCount > 0 else { return 0 }
        let wanted = max(1, UInt64((min(100, max(0, percentile)) / 100 * Double(totalCount)).rounded(.up)))
        var seen: UInt64 = 0
        for i in 0...topIndex {
            seen &+= counts[i]
            if seen >= wanted { return min(Self.highestValue(inBucket: i), maxRecorded) }
        }
        return maxRecorded
    }

    /// The value at `percentile`, or nil when nothing was recorded (an empty CSV cell, not a fake 0).
    public func percentileOrNil(_ percentile: Double) -> UInt64? {
        totalCount == 0 ? nil : valueAtPercentile(percentile)
    }

    /// Equal when the same values were recorded, whether or not one side is a trimmed snapshot.
    public static func == (a: LatencyHistogram, b: LatencyHistogram) -> Bool {
        guard a.highest == b.highest, a.totalCount == b.totalCount, a.maxRecorded == b.maxRecorded,
            a.topIndex == b.topIndex
        else { return false }
        return a.totalCount == 0 || (0...a.topIndex).allSatisfy { a.counts[$0] == b.counts[$0] }
    }

    /// The largest recorded value, or nil when empty.
    public var maxOrNil: UInt64? { totalCount == 0 ? nil : maxRecorded }
}
