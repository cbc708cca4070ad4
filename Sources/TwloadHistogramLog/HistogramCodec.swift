import TwloadStats
import TwloadSystem

/// HdrHistogram's V2 encoding of a `LatencyHistogram`, as interval logs hold it (Java's
/// `encodeIntoCompressedByteBuffer`, Python's `hdrh` `encode`).
///
/// Compressed: the cookie 0x1c849314 and the compressed length (big-endian UInt32 each), then the zlib
/// stream of the uncompressed encoding. Uncompressed: a 40-byte big-endian header (cookie 0x1c849313,
/// payload length, normalizingIndexOffset 0, significant digits 3, lowest 1, highest, the Double
/// integer-to-double ratio 1.0), then the counts from index 0 to the highest non-empty bucket as ZigZag
/// variable-length integers, a run of two or more empty buckets as one negative count.
///
/// Decoding is strict: anything malformed, or a layout other than twload's, throws a
/// `HistogramCodecError`; nothing traps, and the inflated size is bounded by the largest valid payload.
public enum HistogramCodec {
    /// The V2 compressed encoding's cookie (base 0x1c849304 | 0x10).
    public static let compressedCookie: UInt32 = 0x1c84_9314
    /// The V2 uncompressed encoding's cookie (base 0x1c849303 | 0x10).
    public static let uncompressedCookie: UInt32 = 0x1c84_9313
    static let headerSize = 40
    static let significantDigits: UInt32 = 3
    static let lowest: UInt64 = 1

    /// `histogram` in the V2 compressed encoding.
    public static func encode(_ histogram: LatencyHistogram) throws(HistogramCodecError) -> [UInt8] {
        let payload = try uncompressed(histogram)
        let compressed: [UInt8]
        do {
            compressed = try Zlib.deflate(payload)
        } catch {
            throw .zlib(error)
        }
        var out: [UInt8] = []
        out.reserveCapacity(8 + compressed.count)
        append32(compressedCookie, to: &out)
        append32(UInt32(compressed.count), to: &out)
        out.append(contentsOf: compressed)
        return out
    }

    /// `histogram` in the V2 compressed encoding, as base64 text (an interval log's last field).
    public static func encodeBase64(_ histogram: LatencyHistogram) throws(HistogramCodecError) -> String {
        Base64.encode(try encode(histogram))
    }

    /// The V2 uncompressed encoding: the 40-byte header and the counts.
    static func uncompressed(_ histogram: LatencyHistogram) throws(HistogramCodecError) -> [UInt8] {
        var counts: [UInt8] = []
        var next = 0
        try histogram.forEachNonZeroBucket { (index, count) throws(HistogramCodecError) in
            guard count <= UInt64(Int64.max) else { throw .countTooLarge(index: index) }
            let zeros = index - next
            if zeros == 1 {
                ZigZag.append(0, to: &counts)
            } else if zeros > 1 {
                ZigZag.append(-Int64(zeros), to: &counts)
            }
            ZigZag.append(Int64(count), to: &counts)
            next = index + 1
        }
        var out: [UInt8] = []
        out.reserveCapacity(headerSize + counts.count)
        append32(uncompressedCookie, to: &out)
        append32(UInt32(counts.count), to: &out)
        append32(0, to: &out)  // normalizingIndexOffset
        append32(significantDigits, to: &out)
        append64(lowest, to: &out)
        append64(histogram.highest, to: &out)
        append64((1.0 as Double).bitPattern, to: &out)
        out.append(contentsOf: counts)
        return out
    }

    /// The histogram in base64 `text` (V2 compressed, or uncompressed). `highest` is the layout expected (the
    /// encoding must name the same); `maxRecorded` is the exact largest value when known (an interval
    /// log line's max): see `LatencyHistogram.init(highest:counts:maxRecorded:)`.
    public static func decode(
        base64 text: some StringProtocol, highest: UInt64 = LatencyHistograms.highestMicros, maxRecorded: UInt64? = nil
    ) throws(HistogramCodecError) -> LatencyHistogram {
        try decode(Base64.decode(text), highest: highest, maxRecorded: maxRecorded)
    }

    /// The histogram in `bytes` (V2 compressed, or uncompressed): see `decode(base64:highest:maxRecorded:)`.
    public static func decode(
        _ bytes: [UInt8], highest: UInt64 = LatencyHistograms.highestMicros, maxRecorded: UInt64? = nil
    ) throws(HistogramCodecError) -> LatencyHistogram {
        try decodePayload(payload(bytes, highest: highest), highest: highest, maxRecorded: maxRecorded)
    }

    /// The V2 uncompressed encoding in `bytes` (inflated when compressed), its cookie checked.
    static func payload(_ bytes: [UInt8], highest: UInt64) throws(HistogramCodecError) -> [UInt8] {
        guard bytes.count >= 4 else { throw .truncated(part: "cookie", needed: 4, available: bytes.count) }
        let cookie = read32(bytes, at: 0)
        let payload: [UInt8]
        switch cookie {
        case compressedCookie:
            guard bytes.count >= 8 else {
                throw .truncated(part: "compressed header", needed: 8, available: bytes.count)
            }
            let declared = Int(read32(bytes, at: 4))
            guard declared == bytes.count - 8 else {
                throw .compressedLengthMismatch(declared: declared, actual: bytes.count - 8)
            }
            let limit = headerSize + LatencyHistogram.hdrCountsLength(highest: highest) * 9
            do {
                payload = try Zlib.inflate(Array(bytes[8...]), limit: limit)
            } catch {
                throw .zlib(error)
            }
            let inner = payload.count >= 4 ? read32(payload, at: 0) : 0
            if payload.count >= 4 && inner != uncompressedCookie { throw .wrongPayloadCookie(inner) }
        case uncompressedCookie: payload = bytes
        default: throw .wrongCookie(cookie)
        }
        return payload
    }

    /// The histogram in a V2 uncompressed encoding whose cookie is checked.
    static func decodePayload(
        _ p: [UInt8], highest: UInt64, maxRecorded: UInt64?
    ) throws(HistogramCodecError)
        -> LatencyHistogram
    {
        try checkHeader(p, highest: highest)
        let length = LatencyHistogram.hdrCountsLength(highest: highest)
        // Two passes: the first checks every count and finds the highest non-empty bucket, so the counts
        // are allocated once, at their final size (a merge decodes hundreds of thousands of these).
        var top = -1
        try scanCounts(p, length: length) { index, _ in top = index }
        var counts = [UInt64](repeating: 0, count: top + 1)
        try scanCounts(p, length: length) { index, v in counts[index] = v }
        do {
            return try LatencyHistogram(highest: highest, counts: counts, maxRecorded: maxRecorded)
        } catch {
            switch error {
            case .countAboveHighest(let i, _): throw .countAboveHighest(index: i)
            case .totalOverflows: throw .countOverflow
            }
        }
    }

    /// Checks the 40-byte header of the V2 payload `p`: its length, and that its layout is twload's.
    static func checkHeader(_ p: [UInt8], highest: UInt64) throws(HistogramCodecError) {
        guard p.count >= headerSize else {
            throw .truncated(part: "payload header", needed: headerSize, available: p.count)
        }
        let declared = Int(read32(p, at: 4))
        guard declared == p.count - headerSize else {
            throw .payloadLengthMismatch(declared: declared, actual: p.count - headerSize)
        }
        let offset = read32(p, at: 8)
        guard offset == 0 else { throw .layout(field: "normalizingIndexOffset", found: "\(offset)", expected: "0") }
        let digits = read32(p, at: 12)
        guard digits == significantDigits else {
            throw .layout(field: "significant digits", found: "\(digits)", expected: "\(significantDigits)")
        }
        let low = read64(p, at: 16)
        guard low == lowest else {
            throw .layout(field: "lowest trackable value", found: "\(low)", expected: "\(lowest)")
        }
        let high = read64(p, at: 24)
        guard high == highest else {
            throw .layout(field: "highest trackable value", found: "\(high)", expected: "\(highest)")
        }
        let ratio = Double(bitPattern: read64(p, at: 32))
        guard ratio == 1 else { throw .layout(field: "integer to double ratio", found: "\(ratio)", expected: "1.0") }
    }

    /// Calls `body` with the index and count of each non-zero count of the V2 payload `p` (after its header),
    /// in order; throws on a truncated count or an index beyond `length`.
    @inline(__always)
    static func scanCounts(
        _ p: [UInt8], length: Int, _ body: (Int, UInt64) -> Void
    ) throws(HistogramCodecError) {
        var index = 0
        var at = headerSize
        while at < p.count {
            let start = at
            guard let v = ZigZag.read(p, at: &at) else { throw .truncatedCount(offset: start - headerSize) }
            if v < 0 {
                let zeros = v == Int64.min ? Int.max : Int(-v)
                guard zeros <= length - index else {
                    // The last index the run of zeros would reach, saturated: a run near Int.max must not trap.
                    let last = zeros - 1 > Int.max - index ? Int.max : index + (zeros - 1)
                    throw .indexBeyondArray(index: last, length: length)
                }
                index += zeros
            } else {
                guard index < length else { throw .indexBeyondArray(index: index, length: length) }
                if v > 0 { body(index, UInt64(v)) }
                index += 1
            }
        }
    }

    /// Appends `v` big-endian.
    static func append32(_ v: UInt32, to out: inout [UInt8]) {
        for shift in stride(from: 24, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: v >> UInt32(shift))) }
    }

    /// Appends `v` big-endian.
    static func append64(_ v: UInt64, to out: inout [UInt8]) {
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: v >> UInt64(shift))) }
    }

    /// The big-endian UInt32 at `offset` (the caller checked the length).
    static func read32(_ b: [UInt8], at offset: Int) -> UInt32 {
        (0..<4).reduce(0) { $0 << 8 | UInt32(b[offset + $1]) }
    }

    /// The big-endian UInt64 at `offset` (the caller checked the length).
    static func read64(_ b: [UInt8], at offset: Int) -> UInt64 {
        (0..<8).reduce(0) { $0 << 8 | UInt64(b[offset + $1]) }
    }
}
