import Foundation
import Testing
import TwloadStats

@testable import TwloadHistogramLog

/// The interval log's text: what the writer writes and what the reader accepts or refuses.
struct HistogramLogTests {
    /// A log of `histograms`, one a second from 2023-11-14T22:13:20.250Z.
    static func log(_ histograms: [LatencyHistogram], tag: String? = nil) throws -> String {
        var text = HistogramLogWriter.header(unixSeconds: 1_700_000_000, nanoseconds: 250_000_000)
        for (i, h) in histograms.enumerated() {
            text += try HistogramLogWriter.intervalLine(
                startNanos: Int64(i) * 1_000_000_000, lengthNanos: 1_000_000_000, histogram: h, tag: tag)
        }
        return text
    }

    @Test func headerHasVersionStartAndBaseTimeUnitsAndLegend() {
        let lines = HistogramLogWriter.header(unixSeconds: 1_700_000_000, nanoseconds: 250_999_999)
            .split(separator: "\n")
        #expect(
            lines == [
                "#[Histogram log format version 1.3]",
                "#[StartTime: 1700000000.250 (seconds since epoch), 2023-11-14T22:13:20.250Z]",
                "#[BaseTime: 1700000000.250 (seconds since epoch)]",
                "#[Values are microseconds; Interval_Max is in milliseconds]",
                "\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\",\"Interval_Compressed_Histogram\"",
            ])
    }

    @Test func intervalLineHasSecondsToTheMillisecondAndMaxInMilliseconds() throws {
        var h = LatencyHistogram()
        h.record(12_345)
        let line = try HistogramLogWriter.intervalLine(
            startNanos: 2_000_499_999, lengthNanos: 999_500_000, histogram: h, tag: "connect")
        let fields = line.dropLast().split(separator: ",")
        #expect(line.hasSuffix("\n"))
        #expect(Array(fields.prefix(4)) == ["Tag=connect", "2.000", "1.000", "12.345"])
        #expect(fields[4].hasPrefix("HISTFA"), "base64 of the cookie 0x1c849314")
    }

    @Test func emptyIntervalStillHasItsLine() throws {
        let text = try Self.log([LatencyHistogram(), LatencyHistogram()])
        let log = try HistogramLogReader.read(text)
        #expect(log.entries.count == 2)
        #expect(log.entries.allSatisfy { $0.histogram == LatencyHistogram() })
    }

    @Test func readerGivesBackExactlyWhatTheWriterWrote() throws {
        var random = SeededRandom(state: 3)
        var histograms: [LatencyHistogram] = []
        for n in [0, 1, 10, 1000, 5000] {
            var h = LatencyHistogram()
            for _ in 0..<n { h.record(TestValues.logUniform(&random)) }
            histograms.append(h)
        }
        let log = try HistogramLogReader.read(try Self.log(histograms, tag: "response"))
        #expect(log.startTime == 1_700_000_000.25)
        #expect(log.baseTime == 1_700_000_000.25)
        #expect(log.entries.map(\.histogram) == histograms, "counts and exact maxima")
        #expect(log.entries.map(\.startSeconds) == [0, 1, 2, 3, 4])
        #expect(log.entries.allSatisfy { $0.lengthSeconds == 1 && $0.tag == "response" })
    }

    @Test func readerAcceptsCarriageReturnsAndBlankLines() throws {
        var h = LatencyHistogram()
        h.record(7)
        let text = try Self.log([h]).replacingOccurrences(of: "\n", with: "\r\n") + "\r\n\n"
        #expect(try HistogramLogReader.read(text).entries.map(\.histogram) == [h])
    }

    static let badLines: [(line: String, problem: HistogramLogError.Problem)] = [
        ("1.000,1.000,0.000", .fieldCount(3)),
        ("1.000,1.000,0.000,HISTFAAAAAAA,x", .fieldCount(5)),
        ("x,1.000,0.000,HISTFAAAAAAA", .badNumber(field: "start timestamp", text: "x")),
        ("1.000,-1.000,0.000,HISTFAAAAAAA", .badNumber(field: "interval length", text: "-1.000")),
        ("1.000,1.000,inf,HISTFAAAAAAA", .badNumber(field: "interval max", text: "inf")),
        ("1.000,1.0.0,0.000,HISTFAAAAAAA", .badNumber(field: "interval length", text: "1.0.0")),
        ("1.000,,0.000,HISTFAAAAAAA", .badNumber(field: "interval length", text: "")),
        ("Tag=,1.000,1.000,0.000,HISTFAAAAAAA", .badTag),
        ("Tag=connect", .badTag),
        ("1.000,1.000,0.000,HISTFAAAAAAA", .histogram(.compressedLengthMismatch(declared: 0, actual: 1))),
        ("1.000,1.000,0.000,HIST", .histogram(.truncated(part: "cookie", needed: 4, available: 3))),
        ("1.000,1.000,0.000,HIS*", .histogram(.badBase64(offset: 3))),
    ]

    @Test(arguments: badLines.indices)
    func badIntervalLineIsRefusedWithItsLineNumber(_ i: Int) throws {
        let text = try Self.log([LatencyHistogram()]) + Self.badLines[i].line + "\n"
        let number = text.split(separator: "\n", omittingEmptySubsequences: false).count - 1
        #expect(throws: HistogramLogError(line: number, problem: Self.badLines[i].problem)) {
            try HistogramLogReader.read(text)
        }
        let message = HistogramLogError(line: number, problem: Self.badLines[i].problem).description
        #expect(message.hasPrefix("line \(number): ") && !message.contains("\n"), "\(message)")
    }
}
