import FuzzSupport

/// libFuzzer's entry point: an input starting with 0x1c (the first byte of HdrHistogram's cookies) is one
/// encoded histogram; any other input is the text of an interval log.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHistogramLog(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    if input.bytes.first == 0x1c {
        HistogramLogCheck.run(encoded: Array(input.rest()))
    } else {
        HistogramLogCheck.run(text: input.restAsText())
    }
    return 0
}
