/// HdrHistogram's variable-length integers (Java's `ZigZagEncoding`): ZigZag, then LEB128 little-endian
/// groups of 7 bits, at most 9 bytes. The 9th byte, unlike LEB128's, carries 8 bits and no continuation
/// flag, so 9 bytes hold all 64 bits and no encoding is longer.
enum ZigZag {
    /// Appends `value`'s encoding (1 to 9 bytes).
    static func append(_ value: Int64, to out: inout [UInt8]) {
        var v = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        for _ in 0..<8 {
            if v < 0x80 {
                out.append(UInt8(v))
                return
            }
            out.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    /// The value encoded at `offset` in `bytes`, advancing `offset` past it; nil when the bytes end first.
    static func read(_ bytes: [UInt8], at offset: inout Int) -> Int64? {
        var v: UInt64 = 0
        for i in 0..<9 {
            guard offset < bytes.count else { return nil }
            let b = bytes[offset]
            offset += 1
            if i == 8 {
                v |= UInt64(b) << 56
                break
            }
            v |= UInt64(b & 0x7F) << (7 * UInt64(i))
            if b & 0x80 == 0 { break }
        }
        return Int64(bitPattern: v >> 1) ^ -Int64(bitPattern: v & 1)
    }
}
