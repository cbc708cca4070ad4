import CTwloadLinux
import Glibc
import TwloadSystem

/// Which sockets a census counts, as seen from this host.
///
/// The filter runs in the kernel (an `INET_DIAG_REQ_BYTECODE` program), so sockets that do not
/// match are never copied to user space.
public enum PortFilter: Sendable, Equatable {
    /// Every TCP socket in the network namespace.
    case none
    /// Sockets whose peer port is this one: a client's connections to a target port.
    case remotePort(UInt16)
    /// Sockets whose own port is this one: a server's side of its connections (and its listener).
    case localPort(UInt16)
    /// Sockets whose peer is this address and port: a client's connections to one target.
    /// An unspecified address (0.0.0.0 or ::) matches any peer address; port 0 matches any port.
    /// An IPv4 address also matches IPv4-mapped peers of IPv6 sockets.
    case remote(SocketAddress)
    /// Sockets bound to this local address and port: a server's side on one address.
    /// An unspecified address matches any local address; port 0 matches any port.
    case local(SocketAddress)
}

/// A set of TCP states, as the `idiag_states` bit mask of a dump request (bit n = state n).
public struct TCPStates: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// The set holding the single state numbered `state` (1 = ESTABLISHED ... 11 = CLOSING).
    public init(state: Int) { rawValue = state >= 0 && state < 32 ? 1 << UInt32(state) : 0 }

    private init(_ state: ctw_tcp_state) { rawValue = 1 << state.rawValue }

    public static let established = TCPStates(CTW_TCP_ESTABLISHED)
    public static let synSent = TCPStates(CTW_TCP_SYN_SENT)
    /// Also selects request sockets (half-open connections still in the SYN queue).
    public static let synReceived = TCPStates(CTW_TCP_SYN_RECV)
    public static let finWait1 = TCPStates(CTW_TCP_FIN_WAIT1)
    public static let finWait2 = TCPStates(CTW_TCP_FIN_WAIT2)
    public static let timeWait = TCPStates(CTW_TCP_TIME_WAIT)
    public static let closed = TCPStates(CTW_TCP_CLOSE)
    public static let closeWait = TCPStates(CTW_TCP_CLOSE_WAIT)
    public static let lastAck = TCPStates(CTW_TCP_LAST_ACK)
    public static let listen = TCPStates(CTW_TCP_LISTEN)
    public static let closing = TCPStates(CTW_TCP_CLOSING)

    /// Every state, ESTABLISHED through CLOSING.
    public static let all: TCPStates = [
        .established, .synSent, .synReceived, .finWait1, .finWait2, .timeWait, .closed, .closeWait,
        .lastAck, .listen, .closing,
    ]
}

/// Builds the bytes of a sock_diag dump request for TCP sockets: a netlink header, an
/// `inet_diag_req_v2` (one family) or an `inet_diag_req` (both families), and, when filtering, an
/// `INET_DIAG_REQ_BYTECODE` attribute.
///
/// Pure: no system calls. Multi-byte fields are in host byte order, as netlink expects; the
/// addresses inside a host condition stay in network byte order.
///
/// The bytecode follows the kernel's interpreter (`inet_diag_bc_run`): each op is
/// `{code: u8, yes: u8, no: u16}`; after a test the program skips `yes` bytes on a match and `no`
/// bytes otherwise. The socket is reported only if the program ends exactly at its last byte, so a
/// `no` of program length + 4 means "reject". The kernel audit requires `yes`, `no` ≥ the op's
/// own size, ≤ remaining length + 4 and multiples of 4. One condition needs one op:
/// - port only: `{S_EQ or D_EQ, yes: 8, no: 12}` followed by `{0, 0, no: port}` (the port
///   rides in the next op's `no` field), which is what `ss` emits for `sport == :P`;
/// - address and port: `{S_COND or D_COND, yes: L, no: L + 4}` followed by an
///   `inet_diag_hostcond {family, prefix_len, port}` and the address (L = 16 or 28).
public enum SockDiagRequest {
    static let headerSize = MemoryLayout<nlmsghdr>.size
    static let requestSize = MemoryLayout<inet_diag_req_v2>.size
    static let compatRequestSize = MemoryLayout<inet_diag_req>.size
    static let socketIDSize = MemoryLayout<inet_diag_sockid>.size
    static let attributeHeaderSize = MemoryLayout<nlattr>.size
    static let opSize = MemoryLayout<inet_diag_bc_op>.size
    static let hostConditionSize = MemoryLayout<inet_diag_hostcond>.size

    /// A request to dump the TCP sockets of `family` (AF_INET or AF_INET6) whose state is in
    /// `states` and that pass `filter`. Replies carry `sequence`, so stale replies can be told apart.
    public static func dump(family: Int32, states: TCPStates, filter: PortFilter, sequence: UInt32) -> [UInt8] {
        let program = bytecode(for: filter)
        var bytes = header(type: UInt16(SOCK_DIAG_BY_FAMILY), body: requestSize, program: program, sequence: sequence)
        // struct inet_diag_req_v2
        bytes.append(UInt8(truncatingIfNeeded: family))  // sdiag_family
        bytes.append(UInt8(IPPROTO_TCP))  // sdiag_protocol
        bytes.append(0)  // idiag_ext: no extensions, so time-wait replies are 88 bytes each
        bytes.append(0)  // pad
        bytes.appendHostOrder(states.rawValue)  // idiag_states
        bytes.append(contentsOf: repeatElement(0, count: socketIDSize))  // id: unused by dumps
        bytes.appendBytecode(program)
        return bytes
    }

    /// A request to dump the TCP sockets of both families at once, in one walk of the kernel's
    /// socket tables instead of one walk per family: the older `TCPDIAG_GETSOCK` request, whose
    /// `inet_diag_req` has no family the kernel looks at (it dumps with AF_UNSPEC). Its replies are
    /// the same `inet_diag_msg`s, with `TCPDIAG_GETSOCK` as their message type. Each walk visits
    /// every bucket of the established-socket hash (262,144 on a machine with a few GiB of memory)
    /// whether or not it holds sockets, so this halves what a census costs on an idle host.
    public static func dumpBothFamilies(states: TCPStates, filter: PortFilter, sequence: UInt32) -> [UInt8] {
        let program = bytecode(for: filter)
        var bytes = header(
            type: UInt16(TCPDIAG_GETSOCK), body: compatRequestSize, program: program,
            sequence: sequence)
        // struct inet_diag_req
        bytes.append(contentsOf: [0, 0, 0, 0])  // idiag_family (ignored), src_len, dst_len, idiag_ext
        bytes.append(contentsOf: repeatElement(0, count: socketIDSize))  // id: unused by dumps
        bytes.appendHostOrder(states.rawValue)  // idiag_states
        bytes.appendHostOrder(UInt32(0))  // idiag_dbs
        bytes.appendBytecode(program)
        return bytes
    }

    /// A `nlmsghdr` for a dump request of `type` whose fixed part is `body` bytes, followed by
    /// `program` as an attribute (if any); the caller appends the fixed part and the attribute.
    private static func header(type: UInt16, body: Int, program: [UInt8], sequence: UInt32) -> [UInt8] {
        let attributeLength = program.isEmpty ? 0 : attributeHeaderSize + program.count
        let total = headerSize + body + attributeLength
        var bytes: [UInt8] = []
        bytes.reserveCapacity(total)
        bytes.appendHostOrder(UInt32(total))
        bytes.appendHostOrder(type)
        bytes.appendHostOrder(UInt16(NLM_F_REQUEST | NLM_F_DUMP))
        bytes.appendHostOrder(sequence)
        bytes.appendHostOrder(UInt32(0))  // nlmsg_pid: the kernel fills in our port id
        return bytes
    }

    /// The bytecode program for `filter`; empty for `.none` (no attribute is sent then).
    public static func bytecode(for filter: PortFilter) -> [UInt8] {
        switch filter {
        case .none:
            []
        case .remotePort(let port):
            portEquals(INET_DIAG_BC_D_EQ, port)
        case .localPort(let port):
            portEquals(INET_DIAG_BC_S_EQ, port)
        case .remote(let address):
            hostCondition(INET_DIAG_BC_D_COND, address)
        case .local(let address):
            hostCondition(INET_DIAG_BC_S_COND, address)
        }
    }

    /// `{code, yes: 8, no: 12}, {0, 0, port}`: accept when the port equals `port`, else reject.
    private static func portEquals(_ code: Int, _ port: UInt16) -> [UInt8] {
        let length = 2 * opSize
        var program: [UInt8] = []
        program.reserveCapacity(length)
        program.appendOp(code: code, yes: length, no: length + 4)
        program.appendOp(code: 0, yes: 0, no: Int(port))
        return program
    }

    /// `{code, yes: L, no: L + 4}, hostcond, address`: accept when address and port match.
    private static func hostCondition(_ code: Int, _ address: SocketAddress) -> [UInt8] {
        let addressBytes: [UInt8] = address.isUnspecified ? [] : address.ipBytes
        let family: Int32 = addressBytes.isEmpty ? AF_UNSPEC : address.family
        let length = opSize + hostConditionSize + addressBytes.count
        var program: [UInt8] = []
        program.reserveCapacity(length)
        program.appendOp(code: code, yes: length, no: length + 4)
        // struct inet_diag_hostcond
        program.append(UInt8(truncatingIfNeeded: family))
        program.append(UInt8(addressBytes.count * 8))  // prefix_len in bits: the whole address
        program.append(contentsOf: [0, 0])  // padding before the int
        program.appendHostOrder(address.port == 0 ? Int32(-1) : Int32(address.port))  // -1: any port
        program.append(contentsOf: addressBytes)
        return program
    }
}

extension [UInt8] {
    /// Appends `value` in host byte order (the byte order of every netlink header field).
    @inline(__always)
    mutating func appendHostOrder<T: FixedWidthInteger>(_ value: T) {
        // `littleEndian` swaps bytes only on a big-endian host, so taking the low byte first
        // yields the bytes in host memory order on either kind of host.
        let v = value.littleEndian
        for i in 0..<MemoryLayout<T>.size {
            append(UInt8(truncatingIfNeeded: v >> (8 * i)))
        }
    }

    /// Appends `program` as an `INET_DIAG_REQ_BYTECODE` attribute; nothing when it is empty.
    mutating func appendBytecode(_ program: [UInt8]) {
        guard !program.isEmpty else { return }
        appendHostOrder(UInt16(SockDiagRequest.attributeHeaderSize + program.count))  // struct nlattr
        appendHostOrder(UInt16(INET_DIAG_REQ_BYTECODE))
        append(contentsOf: program)
    }

    /// Appends one `inet_diag_bc_op`.
    @inline(__always)
    mutating func appendOp(code: Int, yes: Int, no: Int) {
        append(UInt8(truncatingIfNeeded: code))
        append(UInt8(truncatingIfNeeded: yes))
        appendHostOrder(UInt16(truncatingIfNeeded: no))
    }
}
