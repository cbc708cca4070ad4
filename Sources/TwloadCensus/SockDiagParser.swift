import CTwloadLinux
import TwloadSystem

/// Where a sock_diag dump stands after a reply buffer has been read.
public enum SockDiagReplyStatus: Equatable, Sendable {
    /// No end marker yet: receive the next datagram and feed it in.
    case needMore
    /// `NLMSG_DONE` (or a zero-error ack) arrived: the counts are complete.
    case done
    /// The kernel refused the request (`NLMSG_ERROR`) or aborted the dump (`NLMSG_DONE` carrying a
    /// negative status). `errno` is the positive error number, e.g. EINVAL for rejected bytecode.
    case failed(errno: Errno)
    /// A message header or body runs past the end of the buffer, or a length field is impossible.
    /// A netlink datagram holds whole messages only, so this means a cut-off or corrupt reply.
    case malformed
}

/// Counts the sockets in the replies to a sock_diag dump, one reply buffer at a time.
///
/// A dump comes back as several datagrams (one per `recv`), each holding one or more netlink
/// messages: one `inet_diag_msg` per socket (message type `SOCK_DIAG_BY_FAMILY`, or `TCPDIAG_GETSOCK`
/// for a both-families dump), then a final `NLMSG_DONE`. Feed each datagram to
/// `consume` until it stops returning `.needMore`. Messages never span two datagrams, so a message
/// cut off at the end of a buffer is `.malformed`, not carried over.
///
/// Pure and allocation-free per message: the whole state is the counts and a few integers. Every
/// read is bounds-checked against the buffer first, so no input can make it read out of bounds.
/// Messages whose sequence number is not the expected one (left over from an earlier, abandoned
/// dump) are skipped. Once `.done`, `.failed` or `.malformed` is returned, further input is ignored.
public struct SockDiagParser: Sendable {
    /// Only messages with this sequence number count; nil accepts any.
    public let sequence: UInt32?
    /// Sockets counted so far, by state.
    public private(set) var counts = StateCounts()
    /// TIME_WAIT sockets whose timer has at least this many milliseconds left (nil: not counted).
    public let youngTimeWaitMillis: UInt32?
    /// TIME_WAIT sockets counted so far whose timer has at least `youngTimeWaitMillis` left: those that
    /// entered TIME_WAIT within the last 60 s − `youngTimeWaitMillis`.
    public private(set) var youngTimeWait = 0
    /// Socket messages seen with family AF_INET.
    public private(set) var ipv4Sockets = 0
    /// Socket messages seen with family AF_INET6.
    public private(set) var ipv6Sockets = 0
    /// Netlink messages skipped: other sequence numbers, NLMSG_NOOP, unknown types.
    public private(set) var skippedMessages = 0
    /// The status returned by the last `consume`.
    public private(set) var status: SockDiagReplyStatus = .needMore

    // Layout of the kernel structures, from the C declarations.
    private static let headerSize = MemoryLayout<nlmsghdr>.size
    private static let lengthOffset = MemoryLayout<nlmsghdr>.offset(of: \.nlmsg_len)!
    private static let typeOffset = MemoryLayout<nlmsghdr>.offset(of: \.nlmsg_type)!
    private static let sequenceOffset = MemoryLayout<nlmsghdr>.offset(of: \.nlmsg_seq)!
    private static let messageSize = MemoryLayout<inet_diag_msg>.size
    private static let familyOffset = MemoryLayout<inet_diag_msg>.offset(of: \.idiag_family)!
    private static let stateOffset = MemoryLayout<inet_diag_msg>.offset(of: \.idiag_state)!
    private static let expiresOffset = MemoryLayout<inet_diag_msg>.offset(of: \.idiag_expires)!
    private static let timeWaitState = UInt8(CTW_TCP_TIME_WAIT.rawValue)
    private static let errorSize = MemoryLayout<Int32>.size
    private static let alignment = Int(ctw_nlmsg_align(1))  // NLMSG_ALIGNTO (4)

    private static let done = UInt16(NLMSG_DONE)
    private static let error = UInt16(NLMSG_ERROR)
    private static let socketMessage = UInt16(SOCK_DIAG_BY_FAMILY)
    /// The type of the socket messages that answer a both-families (`TCPDIAG_GETSOCK`) dump.
    private static let bothFamiliesSocketMessage = UInt16(TCPDIAG_GETSOCK)
    private static let inet = UInt8(AF_INET)
    private static let inet6 = UInt8(AF_INET6)

    /// A parser for the replies to the request sent with `sequence` (nil: any sequence), counting the
    /// TIME_WAIT sockets with at least `youngTimeWaitMillis` left on their timer when it is given.
    public init(sequence: UInt32?, youngTimeWaitMillis: UInt32? = nil) {
        self.sequence = sequence
        self.youngTimeWaitMillis = youngTimeWaitMillis
    }

    /// Reads every netlink message in one received datagram.
    public mutating func consume(_ buffer: UnsafeRawBufferPointer) -> SockDiagReplyStatus {
        guard status == .needMore else { return status }
        let end = buffer.count
        var offset = 0
        while offset < end {
            guard end - offset >= Self.headerSize else { return finish(.malformed) }
            let length = Int(buffer.loadUnaligned(fromByteOffset: offset + Self.lengthOffset, as: UInt32.self))
            guard length >= Self.headerSize, length <= end - offset else { return finish(.malformed) }
            let type = buffer.loadUnaligned(fromByteOffset: offset + Self.typeOffset, as: UInt16.self)
            let messageSequence = buffer.loadUnaligned(fromByteOffset: offset + Self.sequenceOffset, as: UInt32.self)
            let body = offset + Self.headerSize
            let bodyLength = length - Self.headerSize

            if let expected = sequence, messageSequence != expected {
                skippedMessages += 1
            } else if type == Self.socketMessage || type == Self.bothFamiliesSocketMessage {
                guard bodyLength >= Self.messageSize else { return finish(.malformed) }
                let family = buffer[body + Self.familyOffset]
                let state = buffer[body + Self.stateOffset]
                counts.record(state: Int(state))
                if let young = youngTimeWaitMillis, state == Self.timeWaitState,
                    buffer.loadUnaligned(fromByteOffset: body + Self.expiresOffset, as: UInt32.self) >= young
                {
                    youngTimeWait += 1
                }
                if family == Self.inet { ipv4Sockets += 1 } else if family == Self.inet6 { ipv6Sockets += 1 }
            } else if type == Self.done {
                // Since Linux 4.x, NLMSG_DONE carries the dump's final status as an int.
                if bodyLength >= Self.errorSize {
                    let code = buffer.loadUnaligned(fromByteOffset: body, as: Int32.self)
                    if code < 0 { return finish(.failed(errno: Self.errno(code))) }
                }
                return finish(.done)
            } else if type == Self.error {
                // struct nlmsgerr: int error (negative errno, 0 for an ack), then the request header.
                guard bodyLength >= Self.errorSize else { return finish(.malformed) }
                let code = buffer.loadUnaligned(fromByteOffset: body, as: Int32.self)
                return finish(code == 0 ? .done : .failed(errno: Self.errno(code)))
            } else {
                skippedMessages += 1
            }
            // NLMSG_ALIGN(length); the last message of a datagram may omit its padding.
            offset += (length + Self.alignment - 1) & ~(Self.alignment - 1)
        }
        return .needMore
    }

    /// Reads every netlink message in `bytes` (see `consume(_:)` for an unsafe buffer).
    public mutating func consume(_ bytes: [UInt8]) -> SockDiagReplyStatus {
        bytes.withUnsafeBytes { consume($0) }
    }

    private mutating func finish(_ result: SockDiagReplyStatus) -> SockDiagReplyStatus {
        status = result
        return result
    }

    /// The positive errno of a kernel error code (which is negative; tolerate either sign).
    private static func errno(_ code: Int32) -> Errno {
        Errno(rawValue: code == Int32.min ? Int32.max : abs(code))
    }
}
