import TwloadSystem

/// Why bytes or text are not a histogram this codec reads, or why a histogram cannot be encoded. Each case
/// describes itself in one line that names what differs.
public enum HistogramCodecError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The text is not base64: the character at `offset` (or the length, when `offset` is the length).
    case badBase64(offset: Int)
    /// `part` needs `needed` bytes, only `available` are there.
    case truncated(part: StaticString, needed: Int, available: Int)
    /// The first 4 bytes are not a V2 compressed (0x1c849314) or uncompressed (0x1c849313) cookie.
    case wrongCookie(UInt32)
    /// The compressed payload's cookie is not the V2 uncompressed one (0x1c849313).
    case wrongPayloadCookie(UInt32)
    /// The header gives the compressed length `declared`, but `actual` bytes follow it.
    case compressedLengthMismatch(declared: Int, actual: Int)
    /// The compressed payload does not inflate.
    case zlib(ZlibError)
    /// The payload header gives `declared` bytes of counts, but `actual` follow it.
    case payloadLengthMismatch(declared: Int, actual: Int)
    /// A layout field (`field`) is `found`, not the `expected` value twload's histograms have.
    case layout(field: StaticString, found: String, expected: String)
    /// The counts run to `index`, past the end of the counts array (`length` entries).
    case indexBeyondArray(index: Int, length: Int)
    /// A count at `index` is for values above the highest trackable value.
    case countAboveHighest(index: Int)
    /// The counts add up to more than 2^64 - 1.
    case countOverflow
    /// The counts end in the middle of a variable-length integer at byte `offset` of the counts.
    case truncatedCount(offset: Int)
    /// A count is above 2^63 - 1, which HdrHistogram's signed encoding cannot hold (encoding only).
    case countTooLarge(index: Int)

    public var description: String {
        switch self {
        case .badBase64(let offset): "not base64 at character \(offset)"
        case .truncated(let part, let needed, let available):
            "truncated: the \(part) needs \(needed) bytes, \(available) are there"
        case .wrongCookie(let c): "cookie 0x\(hex(c)) is not HdrHistogram's V2 encoding (0x1c849314 or 0x1c849313)"
        case .wrongPayloadCookie(let c): "payload cookie 0x\(hex(c)) is not HdrHistogram's V2 encoding (0x1c849313)"
        case .compressedLengthMismatch(let declared, let actual):
            "the header gives \(declared) compressed bytes, \(actual) follow it"
        case .zlib(let e): "the compressed payload: \(e)"
        case .payloadLengthMismatch(let declared, let actual):
            "the payload header gives \(declared) bytes of counts, \(actual) follow it"
        case .layout(let field, let found, let expected): "\(field) is \(found), not \(expected)"
        case .indexBeyondArray(let index, let length):
            "the counts run to index \(index), past the counts array's \(length) entries"
        case .countAboveHighest(let index): "a count at index \(index), above the highest trackable value"
        case .countOverflow: "the counts add up to more than 2^64 - 1"
        case .truncatedCount(let offset): "the counts end inside a number at byte \(offset)"
        case .countTooLarge(let index): "the count at index \(index) is above 2^63 - 1"
        }
    }

    /// Equal when they describe the same problem (StaticString, which names parts and fields, is not Equatable).
    public static func == (a: HistogramCodecError, b: HistogramCodecError) -> Bool {
        a.description == b.description
    }
}

/// `v` as 8 lowercase hex digits.
private func hex(_ v: UInt32) -> String {
    let digits = String(v, radix: 16)
    return String(repeating: "0", count: 8 - digits.count) + digits
}
