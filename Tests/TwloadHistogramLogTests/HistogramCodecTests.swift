import Testing
import TwloadSystem

@testable import TwloadHistogramLog
@testable import TwloadStats

/// The V2 compressed encoding: exact round trips, and a typed error for every malformed input.
struct HistogramCodecTests {
    /// Encodes and decodes, giving the decoder the exact largest value as a log line would.
    func roundTrip(_ h: LatencyHistogram) throws -> LatencyHistogram {
        try HistogramCodec.decode(base64: HistogramCodec.encodeBase64(h), maxRecorded: h.maxRecorded)
    }

    @Test func emptyHistogramRoundTripsAndEncodesNoCounts() throws {
        let h = LatencyHistogram()
        #expect(try roundTrip(h) == h)
        #expect(try HistogramCodec.uncompressed(h).count == HistogramCodec.headerSize)
    }

    @Test func singleValueRoundTrips() throws {
        for v in [0, 1, 2047, 2048, 1_000_000] as [UInt64] {
            var h = LatencyHistogram()
            h.record(v)
            #expect(try roundTrip(h) == h, "value \(v)")
        }
    }

    @Test func denseHistogramRoundTrips() throws {
        var h = LatencyHistogram()
        for v in 0..<20_000 as Range<UInt64> { h.record(v, count: v % 7 + 1) }
        #expect(try roundTrip(h) == h)
    }

    @Test func sparseRandomHistogramRoundTrips() throws {
        var random = SeededRandom(state: 7)
        var h = LatencyHistogram()
        for _ in 0..<300 { h.record(TestValues.logUniform(&random)) }
        #expect(try roundTrip(h) == h)
    }

    @Test func topOfTheRangeAndHugeCountsRoundTrip() throws {
        var h = LatencyHistogram()
        h.record(3_600_000_000)
        h.record(UInt64.max)  // clamped to the highest value
        h.record(3, count: UInt64(Int64.max) / 2)  // a count whose encoding takes all 9 bytes
        #expect(try roundTrip(h) == h)
        #expect(try roundTrip(h).maxRecorded == 3_600_000_000)
    }

    @Test func withoutTheExactMaximumTheDecodedMaximumIsItsBucketsHighestValue() throws {
        var h = LatencyHistogram()
        h.record(1_000_000)
        let decoded = try HistogramCodec.decode(HistogramCodec.encode(h))
        #expect(TestValues.buckets(decoded) == TestValues.buckets(h))
        #expect(decoded.maxRecorded == LatencyHistogram.highestValue(inBucket: LatencyHistogram.index(of: 1_000_000)))
        var top = LatencyHistogram()
        top.record(3_600_000_000)
        #expect(try HistogramCodec.decode(HistogramCodec.encode(top)).maxRecorded == 3_600_000_000, "clamped")
        // A stated maximum outside the top bucket is not believed.
        #expect(try HistogramCodec.decode(HistogramCodec.encode(h), maxRecorded: 5).maxRecorded == decoded.maxRecorded)
    }

    @Test func uncompressedEncodingDecodesToo() throws {
        var h = LatencyHistogram()
        h.record(12_345, count: 3)
        #expect(try HistogramCodec.decode(HistogramCodec.uncompressed(h), maxRecorded: 12_345) == h)
    }

    @Test func zeroRunsAreOneNegativeCountAndASingleZeroIsZero() throws {
        var h = LatencyHistogram()
        h.record(0)
        h.record(2)
        h.record(5)
        // counts 1, 0, 1, 0, 0, 1: ZigZag 2, 0, 2, -2 → 3, 2.
        #expect(try Array(HistogramCodec.uncompressed(h).dropFirst(40)) == [2, 0, 2, 3, 2])
    }

    // MARK: Malformed input

    /// A V2 uncompressed payload with the given header fields and raw count bytes.
    static func payload(
        cookie: UInt32 = HistogramCodec.uncompressedCookie, length: UInt32? = nil, offset: UInt32 = 0,
        digits: UInt32 = 3, lowest: UInt64 = 1, highest: UInt64 = 3_600_000_000, ratio: Double = 1,
        counts: [UInt8] = []
    ) -> [UInt8] {
        var p: [UInt8] = []
        HistogramCodec.append32(cookie, to: &p)
        HistogramCodec.append32(length ?? UInt32(counts.count), to: &p)
        HistogramCodec.append32(offset, to: &p)
        HistogramCodec.append32(digits, to: &p)
        HistogramCodec.append64(lowest, to: &p)
        HistogramCodec.append64(highest, to: &p)
        HistogramCodec.append64(ratio.bitPattern, to: &p)
        return p + counts
    }

    /// ZigZag LEB128 bytes of `values`.
    static func varints(_ values: [Int64]) -> [UInt8] {
        var out: [UInt8] = []
        for v in values { ZigZag.append(v, to: &out) }
        return out
    }

    /// `inner` compressed behind the V2 compressed cookie and its length.
    static func compressed(_ inner: [UInt8]) throws -> [UInt8] {
        let z = try Zlib.deflate(inner)
        var out: [UInt8] = []
        HistogramCodec.append32(HistogramCodec.compressedCookie, to: &out)
        HistogramCodec.append32(UInt32(z.count), to: &out)
        return out + z
    }

    static var valid: [UInt8] {
        var h = LatencyHistogram()
        h.record(100)
        return (try? HistogramCodec.encode(h)) ?? []
    }

    static let malformed: [(name: String, bytes: @Sendable () throws -> [UInt8], error: HistogramCodecError)] = [
        ("no bytes", { [] }, .truncated(part: "cookie", needed: 4, available: 0)),
        ("a V1 cookie", { payload(cookie: 0x1c84_9301) }, .wrongCookie(0x1c84_9301)),
        (
            "compressed header cut short", { [0x1c, 0x84, 0x93, 0x14, 0, 0] },
            .truncated(part: "compressed header", needed: 8, available: 6)
        ),
        (
            "compressed length one more than the bytes", { Array(valid.dropLast()) },
            .compressedLengthMismatch(declared: valid.count - 8, actual: valid.count - 9)
        ),
        (
            "not a zlib stream", { [0x1c, 0x84, 0x93, 0x14, 0, 0, 0, 4, 1, 2, 3, 4] },
            .zlib(.failed(call: "inflate", code: -3))
        ),
        (
            "zlib stream cut short",
            {
                let z = Array(try Zlib.deflate(payload()).dropLast(3))
                return [0x1c, 0x84, 0x93, 0x14, 0, 0, 0, UInt8(z.count)] + z
            }, .zlib(.truncated)
        ),
        (
            "a zip bomb", { try compressed([UInt8](repeating: 0, count: 1 << 20)) },
            .zlib(.outputOverLimit(limit: 40 + 23_552 * 9))
        ),
        (
            "compressed payload with a V2 compressed cookie inside", { try compressed(payload(cookie: 0x1c84_9314)) },
            .wrongPayloadCookie(0x1c84_9314)
        ),
        (
            "payload header cut short", { Array(payload().prefix(39)) },
            .truncated(part: "payload header", needed: 40, available: 39)
        ),
        (
            "payload length larger than the counts", { payload(length: 3, counts: [2, 2]) },
            .payloadLengthMismatch(declared: 3, actual: 2)
        ),
        (
            "normalizing index offset", { payload(offset: 4) },
            .layout(field: "normalizingIndexOffset", found: "4", expected: "0")
        ),
        (
            "two significant digits", { payload(digits: 2) },
            .layout(field: "significant digits", found: "2", expected: "3")
        ),
        (
            "lowest 1000", { payload(lowest: 1000) },
            .layout(field: "lowest trackable value", found: "1000", expected: "1")
        ),
        (
            "highest one hour in nanoseconds", { payload(highest: 3_600_000_000_000) },
            .layout(field: "highest trackable value", found: "3600000000000", expected: "3600000000")
        ),
        (
            "a double histogram's ratio", { payload(ratio: 0.5) },
            .layout(field: "integer to double ratio", found: "0.5", expected: "1.0")
        ),
        (
            "a zero run past the counts array", { payload(counts: varints([-23_553])) },
            .indexBeyondArray(index: 23_552, length: 23_552)
        ),
        (
            "a count past the counts array", { payload(counts: varints([-23_552, 1])) },
            .indexBeyondArray(index: 23_552, length: 23_552)
        ),
        (
            "a count above the highest value", { payload(counts: varints([-23_221, 1])) },
            .countAboveHighest(index: 23_221)
        ),
        ("counts that overflow the total", { payload(counts: varints([.max, .max, .max])) }, .countOverflow),
        ("a number cut short", { payload(counts: [2, 0x80]) }, .truncatedCount(offset: 1)),
        // The 9th byte carries 8 bits and ends the number whatever its top bit: 9 × 0xFF is Int64.min, a run of
        // 2^63 zeros, never a 10-byte number.
        (
            "nine bytes with every continuation bit", { payload(counts: [UInt8](repeating: 0xFF, count: 9)) },
            .indexBeyondArray(index: Int.max - 1, length: 23_552)
        ),
        // Found by the hlog fuzz target: the same run after one count reaches past Int.max; the index it names
        // saturates instead of trapping.
        (
            "a run of 2^63 zeros after a count", { payload(counts: [2] + [UInt8](repeating: 0xFF, count: 9)) },
            .indexBeyondArray(index: Int.max, length: 23_552)
        ),
    ]

    @Test(arguments: malformed.indices)
    func malformedInputThrowsItsOwnOneLineError(_ i: Int) throws {
        let row = Self.malformed[i]
        let bytes = try row.bytes()
        #expect(throws: row.error, "\(row.name)") { try HistogramCodec.decode(bytes) }
        #expect(!row.error.description.contains("\n"))
    }

    @Test func badBase64NamesTheCharacter() {
        #expect(throws: HistogramCodecError.badBase64(offset: 2)) { try HistogramCodec.decode(base64: "HI!T") }
        #expect(throws: HistogramCodecError.badBase64(offset: 3)) { try HistogramCodec.decode(base64: "HIS") }
        #expect(throws: HistogramCodecError.badBase64(offset: 2)) { try HistogramCodec.decode(base64: "HI=T") }
    }
}
