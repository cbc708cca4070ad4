import Testing
import TwloadSystem

/// The noncopyable buffer behind the event loop's latency buckets.
struct FixedBufferTests {
    @Test func writesThroughALetAreKeptAndPrefixCopiesThem() {
        let buffer = FixedBuffer<UInt64>(repeating: 0, count: 8)
        buffer[2] &+= 5
        buffer[7] = 9
        #expect(buffer.prefix(3) == [0, 0, 5])
        #expect(buffer.prefix(100) == [0, 0, 5, 0, 0, 0, 0, 9])  // at most `count`
    }

    @Test func resetClearsOnlyThePrefixAndStopsAtTheEnd() {
        let buffer = FixedBuffer<UInt64>(repeating: 1, count: 4)
        buffer.reset(prefix: 2, to: 0)
        #expect(buffer.prefix(4) == [0, 0, 1, 1])
        buffer.reset(prefix: 10, to: 3)
        #expect(buffer.prefix(4) == [3, 3, 3, 3])
    }
}
