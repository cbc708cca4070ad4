import FuzzSupport

/// libFuzzer's entry point: the whole input is the profile's YAML text.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzProfile(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    ProfileCheck.run(yaml: input.restAsText())
    return 0
}
