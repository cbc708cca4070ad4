import Testing
import TwloadSystem

@testable import TwloadCensus

// Expected bytes are written out for a little-endian host (x86_64, aarch64): netlink fields are in
// host byte order.

private func u16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
private func u32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }

/// nlmsghdr + inet_diag_req_v2 as the kernel expects them for a TCP dump.
private func expectedHead(length: Int, sequence: UInt32, family: UInt8, states: UInt32) -> [UInt8] {
    u32(UInt32(length)) + u16(20) + u16(0x301) + u32(sequence) + u32(0)
        + [family, 6, 0, 0] + u32(states) + [UInt8](repeating: 0, count: 48)
}

@Test func unfilteredDumpRequestIsHeaderAndInetDiagReqOnly() {
    let bytes = SockDiagRequest.dump(family: 2, states: .all, filter: .none, sequence: 9)
    #expect(bytes.count == 72)
    #expect(bytes == expectedHead(length: 72, sequence: 9, family: 2, states: 0xFFE))
}

@Test func bothFamiliesDumpRequestIsTheOlderInetDiagReqWithTheStatesAfterTheSocketID() {
    // nlmsghdr {76, TCPDIAG_GETSOCK, REQUEST|DUMP}, inet_diag_req {family 0, 0, 0, ext 0, id, states, dbs 0}
    let head = u32(76) + u16(18) + u16(0x301) + u32(5) + u32(0)
    let request = [0, 0, 0, 0] + [UInt8](repeating: 0, count: 48) + u32(0x40) + u32(0)
    #expect(SockDiagRequest.dumpBothFamilies(states: .timeWait, filter: .none, sequence: 5) == head + request)

    let filtered = SockDiagRequest.dumpBothFamilies(states: .timeWait, filter: .localPort(443), sequence: 5)
    let attribute = u16(12) + u16(1) + SockDiagRequest.bytecode(for: .localPort(443))
    #expect(filtered == u32(88) + u16(18) + u16(0x301) + u32(5) + u32(0) + request + attribute)
}

@Test func stateMaskHasOneBitPerTCPStateNumber() {
    #expect(TCPStates.timeWait.rawValue == 1 << 6)
    #expect(TCPStates.established.rawValue == 1 << 1)
    #expect(TCPStates.closing.rawValue == 1 << 11)
    #expect(TCPStates(state: 6) == .timeWait)
    #expect(([.timeWait, .closeWait] as TCPStates).rawValue == 0x140)
}

@Test func remotePortFilterIsOneDestinationPortEqualsOp() {
    let program = SockDiagRequest.bytecode(for: .remotePort(8080))
    // {INET_DIAG_BC_D_EQ, yes: 8 (accept: end of program), no: 12 (reject: past the end)}, {0, 0, port}
    #expect(program == [12, 8] + u16(12) + [0, 0] + u16(8080))
}

@Test func localPortFilterIsOneSourcePortEqualsOp() {
    #expect(SockDiagRequest.bytecode(for: .localPort(443)) == [11, 8] + u16(12) + [0, 0] + u16(443))
}

@Test func filteredRequestCarriesTheBytecodeAttribute() {
    let bytes = SockDiagRequest.dump(family: 10, states: .timeWait, filter: .remotePort(80), sequence: 1)
    let attribute = u16(12) + u16(1) + SockDiagRequest.bytecode(for: .remotePort(80))
    #expect(bytes.count == 84)
    #expect(bytes == expectedHead(length: 84, sequence: 1, family: 10, states: 0x40) + attribute)
}

@Test func remoteIPv4AddressFilterIsAHostCondition() {
    let program = SockDiagRequest.bytecode(for: .remote(SocketAddress(ip: "127.0.0.1", port: 80)!))
    // {INET_DIAG_BC_D_COND, 16, 20}, hostcond {AF_INET, /32, port 80}, 127.0.0.1
    #expect(program == [8, 16] + u16(20) + [2, 32, 0, 0] + u32(80) + [127, 0, 0, 1])
}

@Test func localIPv6AddressFilterIsAHostConditionWithTheFullAddress() {
    let program = SockDiagRequest.bytecode(for: .local(SocketAddress(ip: "::1", port: 443)!))
    let loopback6 = [UInt8](repeating: 0, count: 15) + [1]
    #expect(program == [7, 28] + u16(32) + [10, 128, 0, 0] + u32(443) + loopback6)
}

@Test func unspecifiedAddressMatchesAnyAddressAndPortZeroAnyPort() {
    let anyAddress = SockDiagRequest.bytecode(for: .local(SocketAddress(ip: "0.0.0.0", port: 8080)!))
    #expect(anyAddress == [7, 12] + u16(16) + [0, 0, 0, 0] + u32(8080))
    let anyPort = SockDiagRequest.bytecode(for: .remote(SocketAddress(ip: "10.1.2.3", port: 0)!))
    #expect(anyPort == [8, 16] + u16(20) + [2, 32, 0, 0] + u32(0xFFFF_FFFF) + [10, 1, 2, 3])
}

@Test func everyProgramPassesTheKernelJumpRules() {
    // inet_diag_bc_audit: yes/no are multiples of 4, at least the op's size, at most the remaining
    // length + 4; following `yes` must land exactly on the end.
    let filters: [PortFilter] = [
        .remotePort(1), .localPort(65535), .remote(SocketAddress(ip: "::ffff:1.2.3.4", port: 9)!),
        .local(SocketAddress(ip: "192.0.2.1", port: 0)!),
    ]
    for filter in filters {
        let program = SockDiagRequest.bytecode(for: filter)
        let yes = Int(program[1])
        let no = Int(program[2]) | Int(program[3]) << 8
        #expect(program.count % 4 == 0)
        #expect(yes == program.count, "\(filter)")
        #expect(no == program.count + 4, "\(filter)")
    }
}
