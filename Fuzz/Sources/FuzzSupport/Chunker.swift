/// Splits a byte sequence into chunks whose sizes the fuzz input chooses through one seed byte, the way
/// `recv` may split a stream anywhere. Seed 0 gives one chunk; otherwise sizes are drawn from 1 to
/// 2^(seed & 7) by a small generator seeded with the whole byte, so seeds 1, 9, 17... give one-byte chunks.
public struct Chunker: Sendable {
    private var state: UInt64
    private let largest: Int
    private let whole: Bool

    public init(seed: UInt8) {
        whole = seed == 0
        largest = 1 << Int(seed & 7)
        state = 0x9E37_79B9_7F4A_7C15 &* (UInt64(seed) | 1)
    }

    /// The chunks of `bytes`, in order; none is empty and together they are `bytes`.
    public mutating func chunks(of bytes: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        if whole { return bytes.isEmpty ? [] : [bytes] }
        var result: [ArraySlice<UInt8>] = []
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let size = 1 + Int(next() % UInt64(largest))
            let end = min(bytes.endIndex, start + size)
            result.append(bytes[start..<end])
            start = end
        }
        return result
    }

    /// SplitMix64.
    private mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
