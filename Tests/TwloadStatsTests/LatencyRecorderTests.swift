import Testing

@testable import TwloadStats

/// The event loop's pointer-backed recorder and its trimmed snapshots.
struct LatencyRecorderTests {
    @Test func snapshotEqualsAHistogramOfTheSameValues() {
        var recorder = LatencyRecorder()
        var reference = LatencyHistogram()
        for ns in [-5, 0, 999, 1_000, 42_999, 2_500_000, 7_000_000_000] as [Int64] {
            recorder.record(nanos: ns)
            LatencyHistograms.record(&reference, nanos: ns)
        }
        let snapshot = recorder.takeSnapshot()
        #expect(snapshot == reference)
        #expect(snapshot.totalCount == 7)
        #expect(snapshot.valueAtPercentile(100) == reference.valueAtPercentile(100))
        #expect(snapshot.valueAtPercentile(50) == reference.valueAtPercentile(50))
    }

    @Test func snapshotsOfMixedDurationsEqualTheReferenceIntervalAfterInterval() {
        // Negative, sub-microsecond, linear (below 2,048 µs), the boundary itself, log buckets and
        // beyond the range: the recorder keeps no total or maximum on its fast path, so each
        // interval's snapshot must rebuild both exactly, and start over.
        var recorder = LatencyRecorder()
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        for interval in 0..<3 {
            var reference = LatencyHistogram()
            for _ in 0..<2_000 {
                seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let ns: Int64
                switch seed >> 61 {
                case 0: ns = -Int64(seed >> 40 & 0xFFFF)
                case 1: ns = Int64(seed >> 54)  // under 1 µs
                case 2: ns = 2_047_000 + Int64(seed >> 50 & 0x7FF)  // either side of 2,048 µs
                case 3: ns = Int64(seed >> 20)  // up to hours
                case 4: ns = .max
                default: ns = Int64(seed >> 43)  // under 2.1 ms
                }
                if interval == 1 && ns >= 2_048_000 { continue }  // one interval with linear values only
                recorder.record(nanos: ns)
                LatencyHistograms.record(&reference, nanos: ns)
            }
            let snapshot = recorder.takeSnapshot()
            #expect(snapshot == reference, "interval \(interval)")
            #expect(snapshot.totalCount == reference.totalCount, "interval \(interval)")
            #expect(snapshot.maxOrNil == reference.maxOrNil, "interval \(interval)")
        }
    }

    @Test func recorderWithARangeBelowTheLinearBucketsClampsToIt() {
        var recorder = LatencyRecorder(highest: 100)
        for ns in [5_000, 99_000, 100_000, 150_000, 3_000_000] as [Int64] { recorder.record(nanos: ns) }
        let snapshot = recorder.takeSnapshot()
        #expect(snapshot.totalCount == 5)
        #expect(snapshot.maxOrNil == 100)
        #expect(snapshot.valueAtPercentile(50) == 100)
    }

    @Test func takingASnapshotStartsTheRecorderOver() {
        var recorder = LatencyRecorder()
        recorder.record(nanos: 3_000_000)
        _ = recorder.takeSnapshot()
        recorder.record(nanos: 5_000)
        let second = recorder.takeSnapshot()
        #expect(second.totalCount == 1)
        #expect(second.valueAtPercentile(100) == 5)
        #expect(recorder.takeSnapshot().totalCount == 0)
    }

    @Test func snapshotCountsLatenciesThatRoundToZero() {
        var recorder = LatencyRecorder()
        for ns in [0, 400, -3] as [Int64] { recorder.record(nanos: ns) }
        let snapshot = recorder.takeSnapshot()
        #expect(snapshot.totalCount == 3)
        #expect(snapshot.maxOrNil == 0)
        #expect(recorder.takeSnapshot().maxOrNil == nil)
    }

    @Test func trimmedSnapshotsMergeAndKeepRecording() {
        var a = LatencyRecorder()
        var b = LatencyRecorder()
        a.record(nanos: 10_000)
        b.record(nanos: 90_000_000)
        var merged = a.takeSnapshot()
        merged.add(b.takeSnapshot())  // b's buckets lie beyond a's trimmed storage
        merged.record(200_000_000)
        #expect(merged.totalCount == 3)
        #expect(merged.valueAtPercentile(33) == 10)
        #expect(merged.valueAtPercentile(100) == 200_000_000)
        var full = LatencyHistogram()
        full.record(10)
        full.record(90_000)
        full.record(200_000_000)
        #expect(merged == full)
    }
}
