import FuzzSupport

/// libFuzzer's entry point: the first byte chooses how the rest is split into reads, the rest is what the
/// server sent.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPResponseParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let chunkSeed = input.byte()
    HTTPResponseCheck.run(response: input.rest(), chunkSeed: chunkSeed)
    return 0
}
