/// A cursor over one fuzz input: fixed-size fields are taken from the front, and a field that runs past the end
/// reads as zero bytes, so every input (even an empty one) decodes to something.
public struct FuzzInput: Sendable {
    public let bytes: [UInt8]
    public private(set) var offset = 0

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// libFuzzer's buffer as an array (the pointer is only valid during the call).
    public init(_ data: UnsafePointer<UInt8>, _ size: Int) {
        self.init(Array(UnsafeBufferPointer(start: data, count: size)))
    }

    public var isAtEnd: Bool { offset >= bytes.count }

    /// The bytes not taken yet.
    public var remaining: ArraySlice<UInt8> { bytes[min(offset, bytes.count)...] }

    /// The next byte, or 0 at the end.
    public mutating func byte() -> UInt8 {
        guard offset < bytes.count else { return 0 }
        defer { offset += 1 }
        return bytes[offset]
    }

    /// A little-endian integer from the next bytes (missing bytes are 0).
    public mutating func integer<T: FixedWidthInteger & UnsignedInteger>(_: T.Type) -> T {
        var value: T = 0
        for i in 0..<MemoryLayout<T>.size { value |= T(byte()) << (8 * i) }
        return value
    }

    /// Up to `count` next bytes (fewer at the end).
    public mutating func take(_ count: Int) -> ArraySlice<UInt8> {
        let start = min(offset, bytes.count)
        let end = start + min(max(0, count), bytes.count - start)
        offset = end
        return bytes[start..<end]
    }

    /// Everything not taken yet.
    public mutating func rest() -> ArraySlice<UInt8> {
        take(bytes.count)
    }

    /// Everything not taken yet as text. Invalid UTF-8 becomes U+FFFD: the parsers take Strings, which are
    /// always valid Unicode.
    public mutating func restAsText() -> String {
        String(decoding: rest(), as: UTF8.self)
    }
}
