import Testing
@testable import Twload

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
