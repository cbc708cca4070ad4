import FuzzSupport

/// libFuzzer's entry point. Input: a flags byte (bit 0: only count sequence number N, the next four bytes,
/// little-endian), then datagrams, each a little-endian UInt16 length and that many bytes (the last one gets
/// what is left).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSockDiagParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let flags = input.byte()
    let sequence = flags & 1 != 0 ? input.integer(UInt32.self) : nil
    var datagrams: [ArraySlice<UInt8>] = []
    while !input.isAtEnd {
        let length = Int(input.integer(UInt16.self))
        datagrams.append(input.take(length))
    }
    SockDiagCheck.run(datagrams: datagrams, sequence: sequence)
    return 0
}
