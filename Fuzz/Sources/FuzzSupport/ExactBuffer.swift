/// Runs `body` on a copy of `bytes` in a heap block of exactly that size, so that AddressSanitizer reports any
/// read one byte past the end (an array's storage may have spare capacity after its last element).
public func withExactBuffer<R>(_ bytes: ArraySlice<UInt8>, _ body: (UnsafeRawBufferPointer) -> R) -> R {
    let block = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 1)
    defer { block.deallocate() }
    block.copyBytes(from: bytes)
    return body(UnsafeRawBufferPointer(block))
}
