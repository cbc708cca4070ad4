import Testing

@testable import TwloadStats

/// The log-linear latency histogram: bucket layout, percentiles, merging.
struct LatencyHistogramTests {
    @Test func valuesBelow2048AreExact() {
        var h = LatencyHistogram()
        for v in [0, 1, 7, 2047] as [UInt64] { h.record(v) }
        #expect(h.valueAtPercentile(25) == 0)
        #expect(h.valueAtPercentile(50) == 1)
        #expect(h.valueAtPercentile(75) == 7)
        #expect(h.valueAtPercentile(100) == 2047)
    }

    @Test func largeValuesKeepTenBitsOfPrecision() {
        // Bucket edges: 2048..2049 share a bucket of width 2; 1,000,000 lies in a bucket of width 1024.
        #expect(LatencyHistogram.index(of: 2048) == LatencyHistogram.index(of: 2049))
        #expect(LatencyHistogram.index(of: 2049) != LatencyHistogram.index(of: 2050))
        let i = LatencyHistogram.index(of: 1_000_000)
        let top = LatencyHistogram.highestValue(inBucket: i)
        #expect(top >= 1_000_000 && top - 1_000_000 < 1024)
        #expect(LatencyHistogram.index(of: top + 1) == i + 1)
        var h = LatencyHistogram()
        h.record(1_000_000)
        h.record(3_000_000)
        // p50 is reported as its bucket's top, p100 as the exact maximum.
        #expect(h.valueAtPercentile(50) == top)
        #expect(h.valueAtPercentile(100) == 3_000_000)
    }

    @Test func everyValueMapsToABucketThatContainsIt() {
        var v: UInt64 = 1
        while v < 3_600_000_000 {
            let i = LatencyHistogram.index(of: v)
            #expect(LatencyHistogram.highestValue(inBucket: i) >= v)
            #expect(i == 0 || LatencyHistogram.highestValue(inBucket: i - 1) < v)
            v = v * 3 + 1
        }
    }

    @Test func valuesAboveTheRangeAreClamped() {
        var h = LatencyHistogram(highest: 10_000)
        h.record(50_000)
        #expect(h.maxRecorded == 10_000)
        #expect(h.totalCount == 1)
    }

    @Test func mergingIsExactAndResetEmpties() {
        var a = LatencyHistogram()
        var b = LatencyHistogram()
        for v in 1...100 as ClosedRange<UInt64> { a.record(v) }
        b.record(5_000, count: 100)
        a.add(b)
        #expect(a.totalCount == 200)
        #expect(a.valueAtPercentile(50) == 100)
        #expect(a.maxOrNil == 5_000)
        a.reset()
        #expect(a.totalCount == 0)
        #expect(a.percentileOrNil(99) == nil)
        #expect(a == LatencyHistogram())
    }
}
