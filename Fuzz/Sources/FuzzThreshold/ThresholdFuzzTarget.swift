import FuzzSupport

/// libFuzzer's entry point: the whole input is the expression's text.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzThreshold(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    ThresholdCheck.run(text: input.restAsText())
    return 0
}
