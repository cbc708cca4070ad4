import Testing
import TwloadTestSupport

@testable import TwloadStats

/// twload's bucket index is HdrHistogram's counts index for lowest 1 and 3 significant digits.
struct LayoutMappingTests {
    @Test func bucketIndexIsHdrHistogramsCountsIndexFormula() {
        for v in TestValues.spread {
            let expected: Int
            if v < 2048 {
                expected = Int(v)
            } else {
                let bucketIndex = (64 - v.leadingZeroBitCount) - 11
                expected = bucketIndex * 1024 + Int(v >> UInt64(bucketIndex))
            }
            #expect(LatencyHistogram.index(of: v) == expected, "value \(v)")
        }
    }

    @Test func hdrCountsArrayForOneHourIs22BucketsOf1024PlusHalfABucket() {
        #expect(LatencyHistogram.hdrCountsLength(highest: 3_600_000_000) == 23_552)
        #expect(LatencyHistogram.hdrCountsLength(highest: 2047) == 2048)
        #expect(LatencyHistogram.hdrCountsLength(highest: 2048) == 3072)
        #expect(LatencyHistogram.hdrCountsLength(highest: UInt64(Int64.max)) == 54 * 1024)
        #expect(LatencyHistogram.index(of: 3_600_000_000) < 23_552)
    }

    @Test func bucketIndexAgreesWithPythonHdrHistogram() throws {
        guard let python = PythonOracle.find(module: "hdrh") else {
            print(PythonOracle.skipReason(package: "hdrhistogram"))
            return
        }
        let values = TestValues.spread
        let script = """
            import sys
            from hdrh.histogram import HdrHistogram
            h = HdrHistogram(1, 3600000000, 3)
            print(h.counts_len)
            print(" ".join(str(h._counts_index_for(int(v))) for v in sys.argv[1].split(",")))
            """
        let out = try PythonOracle.run(
            python, script: script, arguments: [values.map(String.init).joined(separator: ",")])
        #expect(out.status == 0, "\(out.stderr)")
        let lines = out.stdout.split(separator: "\n")
        try #require(lines.count == 2)
        #expect(Int(lines[0]) == LatencyHistogram.hdrCountsLength(highest: 3_600_000_000))
        let indexes = lines[1].split(separator: " ").map { Int($0) }
        try #require(indexes.count == values.count)
        for (v, i) in zip(values, indexes) { #expect(LatencyHistogram.index(of: v) == i, "value \(v)") }
    }
}
