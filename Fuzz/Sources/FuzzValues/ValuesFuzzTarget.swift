import FuzzSupport

/// libFuzzer's entry point: the first byte chooses the parser (`ValueParser`), the rest is the option's text.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzValueParsing(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let parser = ValueParser.allCases[Int(input.byte()) % ValueParser.allCases.count]
    ValueCheck.run(parser, text: input.restAsText())
    return 0
}
