/// The buckets of a `LatencyHistogram` as HdrHistogram numbers them, so that a histogram can be written
/// to and read from HdrHistogram's encodings (interval logs) without loss.
///
/// The layout is HdrHistogram's for lowestDiscernibleValue 1 and 3 significant digits: subBucketCount
/// 2048, subBucketHalfCountMagnitude 10, unitMagnitude 0. HdrHistogram's counts index of a value v is
/// `(bucketIndex + 1) << 10 + (subBucketIndex - 1024)`, with `bucketIndex = bitLength(v | 2047) - 11` and
/// `subBucketIndex = v >> bucketIndex`. For v < 2048 that is `1024 + (v - 1024) = v`, which is
/// `index(of:)`'s linear region. For v ≥ 2048 it is `bucketIndex·1024 + (v >> bucketIndex)` with
/// `bucketIndex = bitLength(v) - 11`; `index(of:)` computes, with `shift` the same number,
/// `2048 + (shift - 1)·1024 + (v >> shift) - 1024 = shift·1024 + (v >> shift)`. So a bucket index here is
/// HdrHistogram's counts index, and the two differ only in how long the counts array is (HdrHistogram
/// rounds up to whole buckets: `hdrCountsLength(highest:)`).
extension LatencyHistogram {
    /// Why counts cannot form a histogram (`init(highest:counts:maxRecorded:)`).
    public enum CountsError: Error, Equatable, Sendable, CustomStringConvertible {
        /// Bucket `index` has a count, but its values are all above `highest`.
        case countAboveHighest(index: Int, highest: UInt64)
        /// The counts add up to more than UInt64 can hold.
        case totalOverflows

        public var description: String {
            switch self {
            case .countAboveHighest(let index, let highest):
                "a count at index \(index), whose values are above the highest trackable value \(highest)"
            case .totalOverflows: "the counts add up to more than 2^64 - 1"
            }
        }
    }

    /// The length of the counts array HdrHistogram allocates for this layout and `highest` (23,552 for one
    /// hour in microseconds): whole buckets of 1,024 sub-buckets, plus the first bucket's lower half.
    public static func hdrCountsLength(highest: UInt64) -> Int {
        var smallestUntrackable = subBuckets
        var buckets = 1
        while smallestUntrackable <= highest {
            if smallestUntrackable > UInt64(Int64.max) / 2 {
                buckets += 1
                break
            }
            smallestUntrackable <<= 1
            buckets += 1
        }
        return (buckets + 1) * Int(halfBuckets)
    }

    /// The lowest value that lands in bucket `i`.
    static func lowestValue(inBucket i: Int) -> UInt64 {
        i == 0 ? 0 : highestValue(inBucket: i - 1) + 1
    }

    /// Adds `count` to bucket `index` (HdrHistogram's counts index): adding an encoded histogram as it is
    /// decoded, without building it first. Throws, changing nothing, when the bucket lies above `highest`
    /// or the total would overflow. Follow with `noteAddedMaximum`.
    public mutating func addToBucket(_ index: Int, count: UInt64) throws(CountsError) {
        guard index >= 0, index <= Self.index(of: highest) else {
            throw .countAboveHighest(index: index, highest: highest)
        }
        let (total, overflow) = totalCount.addingReportingOverflow(count)
        guard !overflow else { throw .totalOverflows }
        if index >= counts.count { extend(to: index) }
        counts[index] &+= count
        totalCount = total
        if index > topIndex { topIndex = index }
    }

    /// Raises the largest recorded value to that of a histogram just added bucket by bucket, whose highest
    /// non-empty bucket is `top`: `exact` when it lies in that bucket, else the bucket's highest value (as
    /// `init(highest:counts:maxRecorded:)` decides it).
    public mutating func noteAddedMaximum(topBucket top: Int, exact: UInt64?) {
        guard top >= 0 else { return }
        let bucketTop = min(Self.highestValue(inBucket: top), highest)
        var largest = bucketTop
        if let m = exact, m >= Self.lowestValue(inBucket: top), m <= bucketTop { largest = m }
        if largest > maxRecorded { maxRecorded = largest }
    }

    /// An empty histogram without bucket storage yet: recording or adding grows it. For code that makes
    /// many histograms that stay small (a merge), where `init(highest:)` would clear every bucket each time.
    public static func unallocated(highest: UInt64) -> LatencyHistogram {
        LatencyHistogram(highest: highest, counts: [], totalCount: 0, maxRecorded: 0, topIndex: 0)
    }

    /// Calls `body` with each bucket that has a count, in increasing order of index (HdrHistogram's counts
    /// index: see the type's comment).
    public func forEachNonZeroBucket<E: Error>(_ body: (_ index: Int, _ count: UInt64) throws(E) -> Void) throws(E) {
        guard totalCount > 0 else { return }
        for i in 0...topIndex where counts[i] != 0 { try body(i, counts[i]) }
    }

    /// A histogram from per-bucket counts (HdrHistogram's counts array; trailing zeros may be left out or
    /// kept). The counts are all that HdrHistogram's encodings keep, so the largest value recorded is known
    /// only to its bucket: `maxRecorded` is the given value when it lies in the highest non-empty bucket
    /// (an interval log's line carries it), otherwise the highest value of that bucket, at most `highest`.
    /// Throws when a count lies above `highest` or the total overflows.
    public init(highest: UInt64, counts: [UInt64], maxRecorded: UInt64? = nil) throws(CountsError) {
        let length = Self.index(of: highest) + 1
        var total: UInt64 = 0
        var top = -1
        for (i, c) in counts.enumerated() where c != 0 {
            if i >= length { throw .countAboveHighest(index: i, highest: highest) }
            let (sum, overflow) = total.addingReportingOverflow(c)
            if overflow { throw .totalOverflows }
            total = sum
            top = i
        }
        // Trimmed after the highest non-empty bucket, like a recorder's snapshot (recording or adding grows
        // it): a merge decodes many small histograms, and 23,552 counts each would be 184 KiB of zeros.
        let kept = counts.count == top + 1 ? counts : Array(counts.prefix(top + 1))
        var largest: UInt64 = 0
        if top >= 0 {
            let bucketTop = min(Self.highestValue(inBucket: top), highest)
            if let m = maxRecorded, m >= Self.lowestValue(inBucket: top), m <= bucketTop {
                largest = m
            } else {
                largest = bucketTop
            }
        }
        self.init(highest: highest, counts: kept, totalCount: total, maxRecorded: largest, topIndex: max(top, 0))
    }
}
