import Foundation
import Testing
import TwloadTestSupport

@testable import TwloadHistogramLog
@testable import TwloadStats

/// Interval logs against the reference Python implementation (PyPI `hdrhistogram`): each side reads what the
/// other wrote, bucket for bucket.
///
/// Percentiles differ by definition, so they are compared like with like. twload's `valueAtPercentile`
/// takes the rank ceil(p/100·N) (computed as p/100·N, so for p = 99.9 and N = 1000 floating point gives
/// 999.0000000000001 and the rank 1000) and answers its bucket's highest value clamped to the largest value
/// recorded. Python's `get_value_at_percentile` takes the rank int(p·N/100 + 0.5), round half up, and
/// answers the bucket's highest equivalent value, unclamped. The test checks Python's answer against
/// Python's rule applied to twload's buckets (`TestValues.hdrValueAtPercentile`), and the buckets
/// themselves one by one.
struct PythonInteropTests {
    static let python = PythonOracle.find(module: "hdrh")
    static let percentiles = [50, 90, 99, 99.9, 100]

    /// A scratch file path.
    func scratch(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("twload-hlog-\(UUID().uuidString)-\(name)").path
    }

    /// "index:count index:count ..." of the non-empty buckets.
    func bucketText(_ h: LatencyHistogram) -> String {
        var parts: [String] = []
        h.forEachNonZeroBucket { i, c in parts.append("\(i):\(c)") }
        return parts.joined(separator: " ")
    }

    @Test func pythonReadsTwloadsLogBucketForBucket() throws {
        guard let python = Self.python else {
            print(PythonOracle.skipReason(package: "hdrhistogram"))
            return
        }
        var random = SeededRandom(state: 11)
        var histograms: [LatencyHistogram] = []
        for n in [1000, 0, 1, 7, 333, 20_000] {
            var h = LatencyHistogram()
            for _ in 0..<n { h.record(TestValues.logUniform(&random)) }
            histograms.append(h)
        }
        let path = scratch("swift.hlog")
        try HistogramLogTests.log(histograms, tag: "connect").write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let script = """
            import sys
            from hdrh.histogram import HdrHistogram
            from hdrh.log import HistogramLogReader
            reader = HistogramLogReader(sys.argv[1], HdrHistogram(1, 3600000000, 3))
            while True:
                h = reader.get_next_interval_histogram()
                if h is None:
                    break
                print(h.get_tag(), h.get_total_count(), h.get_max_value(), h.get_start_time_stamp(),
                      " ".join(str(h.get_value_at_percentile(p)) for p in (50, 90, 99, 99.9, 100)))
                print(" ".join("%d:%d" % (i, h.get_count_at_index(i)) for i in range(h.counts_len)
                               if h.get_count_at_index(i)))
            """
        let out = try PythonOracle.run(python, script: script, arguments: [path])
        #expect(out.status == 0, "\(out.stderr)")
        let lines = out.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        try #require(lines.count == histograms.count * 2 + 1, "\(out.stdout)")
        for (k, h) in histograms.enumerated() {
            let summary = lines[2 * k].split(separator: " ").map(String.init)
            try #require(summary.count == 4 + Self.percentiles.count, "\(lines[2 * k])")
            #expect(summary[0] == "connect")
            #expect(UInt64(summary[1]) == h.totalCount, "interval \(k)")
            let top =
                h.totalCount == 0
                ? 0 : LatencyHistogram.highestValue(inBucket: LatencyHistogram.index(of: h.maxRecorded))
            #expect(UInt64(summary[2]) == top, "interval \(k): max is its bucket's highest value")
            #expect(Double(summary[3]) == (1_700_000_000.25 + Double(k)) * 1000, "absolute start in ms")
            for (p, text) in zip(Self.percentiles, summary[4...]) {
                let expected = h.totalCount == 0 ? 0 : TestValues.hdrValueAtPercentile(h, p)
                #expect(UInt64(text) == expected, "interval \(k) p\(p)")
            }
            #expect(lines[2 * k + 1] == bucketText(h), "interval \(k): every bucket")
        }
    }

    @Test func twloadReadsPythonsLogBucketForBucket() throws {
        guard let python = Self.python else {
            print(PythonOracle.skipReason(package: "hdrhistogram"))
            return
        }
        let path = scratch("python.hlog")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let script = """
            import random, sys
            from hdrh.histogram import HdrHistogram
            from hdrh.log import HistogramLogWriter
            random.seed(5)
            with open(sys.argv[1], "w") as f:
                w = HistogramLogWriter(f)
                w.output_log_format_version()
                w.output_base_time(1700000000000)
                w.output_comment("[written by hdrh for twload's tests]")
                w.output_legend()
                for n in (500, 0, 3, 10000):
                    h = HdrHistogram(1, 3600000000, 3)
                    for _ in range(n):
                        h.record_value(min(3600000000, random.randrange(1 << random.randint(1, 32))))
                    w.output_interval_histogram(h, 10.0 + len(sys.argv), 11.0 + len(sys.argv))
                    print(" ".join("%d:%d" % (i, h.get_count_at_index(i)) for i in range(h.counts_len)
                                   if h.get_count_at_index(i)))
            """
        let out = try PythonOracle.run(python, script: script, arguments: [path])
        try #require(out.status == 0, "\(out.stderr)")
        let expected = out.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        let log = try HistogramLogReader.read(try String(contentsOfFile: path, encoding: .utf8))
        #expect(log.baseTime == 1_700_000_000)
        #expect(log.entries.map { bucketText($0.histogram) } == expected)
        #expect(log.entries.allSatisfy { $0.startSeconds == 12 && $0.lengthSeconds == 1 && $0.tag == nil })
    }
}
