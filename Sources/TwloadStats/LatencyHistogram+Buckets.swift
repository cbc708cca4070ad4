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
        var kept = Array(counts.prefix(length))
        if kept.count < length { kept.append(contentsOf: repeatElement(0, count: length - kept.count)) }
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
