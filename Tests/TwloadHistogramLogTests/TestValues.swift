@testable import TwloadStats

/// SplitMix64: the same values on every run, so a failure can be replayed.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

enum TestValues {
    /// 0...2047, every power of two up to 2^32 and its neighbours, the top of the range, and 1,000 random
    /// values spread over every magnitude up to one hour in microseconds.
    static var spread: [UInt64] {
        var values = Array(0...2047 as ClosedRange<UInt64>)
        for shift in 11...32 {
            let p = UInt64(1) << shift
            values += [p - 1, p, p + 1]
        }
        values += [3_599_999_999, 3_600_000_000]
        var random = SeededRandom(state: 42)
        for _ in 0..<1000 { values.append(logUniform(&random)) }
        return values
    }

    /// A value whose magnitude is uniform up to one hour, like latencies that span several decades.
    static func logUniform(_ random: inout SeededRandom) -> UInt64 {
        let bits = UInt64.random(in: 1...32, using: &random)
        return min(3_600_000_000, UInt64.random(in: 0..<(UInt64(1) << bits), using: &random))
    }

    /// The counts of every non-empty bucket.
    static func buckets(_ h: LatencyHistogram) -> [Int: UInt64] {
        var out: [Int: UInt64] = [:]
        h.forEachNonZeroBucket { i, c in out[i] = c }
        return out
    }

    /// Python hdrh's value at `percentile` (`get_value_at_percentile`):
    /// the rank is round-half-up(p·N/100), at least 1, and the answer is the highest value
    /// of the bucket where the cumulative count reaches it, never clamped to the largest value recorded.
    static func hdrValueAtPercentile(_ h: LatencyHistogram, _ percentile: Double) -> UInt64 {
        let rank = max(1, UInt64(min(percentile, 100) * Double(h.totalCount) / 100 + 0.5))
        var seen: UInt64 = 0
        var answer: UInt64 = 0
        var found = false
        h.forEachNonZeroBucket { i, c in
            seen += c
            if !found && seen >= rank {
                answer = LatencyHistogram.highestValue(inBucket: i)
                found = true
            }
        }
        return answer
    }
}
