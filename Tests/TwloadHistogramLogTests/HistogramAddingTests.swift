import Testing

@testable import TwloadHistogramLog
@testable import TwloadStats

/// Adding encoded histograms into one as they are decoded (what `twload merge` does) gives exactly what
/// decoding each and adding them gives.
struct HistogramAddingTests {
    func histogram(seed: UInt64, values: Int, spread: UInt64) -> LatencyHistogram {
        var h = LatencyHistogram()
        var x = seed
        for _ in 0..<values {
            x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            h.record((x >> 33) % spread)
        }
        return h
    }

    @Test func addingWhileDecodingEqualsDecodingThenAdding() throws {
        let parts = [
            histogram(seed: 1, values: 2000, spread: 5000), histogram(seed: 2, values: 10, spread: 3_600_000_000),
            LatencyHistogram(), histogram(seed: 3, values: 500, spread: 100),
        ]
        var expected = LatencyHistogram()
        var added = LatencyHistogram.unallocated(highest: LatencyHistograms.highestMicros)
        for p in parts {
            let text = try HistogramCodec.encodeBase64(p)
            expected.add(try HistogramCodec.decode(base64: text, maxRecorded: p.maxRecorded))
            try HistogramCodec.add(base64: text, into: &added, maxRecorded: p.maxRecorded)
        }
        #expect(added == expected)
        #expect(added.totalCount == 2510)
        #expect(added.maxRecorded == parts.map(\.maxRecorded).max())
        for p in [50.0, 99, 99.9, 100] { #expect(added.valueAtPercentile(p) == expected.valueAtPercentile(p)) }
    }

    @Test func aCountThatWouldOverflowTheTotalIsRefused() throws {
        var more = LatencyHistogram()
        more.record(5, count: 1000)
        var into = LatencyHistogram()
        into.record(7, count: UInt64.max - 100)
        #expect(throws: HistogramCodecError.countOverflow) {
            try HistogramCodec.add(base64: HistogramCodec.encodeBase64(more), into: &into)
        }
    }
}
