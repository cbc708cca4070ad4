import FuzzSupport
import TwloadCensus
import TwloadSystem

/// The fuzz oracle for `SockDiagParser`: what a sock_diag reply means, read field by field with the sizes
/// and offsets of the kernel's ABI written out (not taken from the C headers the parser uses).
///
/// nlmsghdr is 16 bytes: length (UInt32) at 0, type (UInt16) at 4, flags at 6, sequence (UInt32) at 8, port
/// id at 12. Messages start at multiples of 4. inet_diag_msg is 72 bytes with the family at 0 and the TCP
/// state at 1. NLMSG_ERROR (2) and NLMSG_DONE (3) carry an Int32 status; socket messages are
/// SOCK_DIAG_BY_FAMILY (20) or TCPDIAG_GETSOCK (18).
struct SockDiagModel {
    let sequence: UInt32?
    private(set) var status: SockDiagReplyStatus = .needMore
    private(set) var perState = [Int](repeating: 0, count: 12)
    private(set) var ipv4 = 0
    private(set) var ipv6 = 0
    private(set) var skipped = 0
    /// Socket messages read, whatever their state or family.
    private(set) var socketMessages = 0

    init(sequence: UInt32?) {
        self.sequence = sequence
    }

    mutating func consume(_ datagram: ArraySlice<UInt8>) -> SockDiagReplyStatus {
        guard status == .needMore else { return status }
        let bytes = Array(datagram)
        var offset = 0
        while offset < bytes.count {
            guard bytes.count - offset >= 16 else { return finish(.malformed) }
            let length = Int(Self.load(UInt32.self, bytes, offset))
            guard length >= 16, offset + length <= bytes.count else { return finish(.malformed) }
            let type = Self.load(UInt16.self, bytes, offset + 4)
            let body = offset + 16
            if let sequence, Self.load(UInt32.self, bytes, offset + 8) != sequence {
                skipped += 1
            } else if type == 20 || type == 18 {
                guard length - 16 >= 72 else { return finish(.malformed) }
                socketMessages += 1
                let state = Int(bytes[body + 1])
                if state < perState.count { perState[state] += 1 }
                if bytes[body] == 2 { ipv4 += 1 } else if bytes[body] == 10 { ipv6 += 1 }
            } else if type == 3 {
                let code = length - 16 >= 4 ? Int32(bitPattern: Self.load(UInt32.self, bytes, body)) : 0
                return finish(code < 0 ? .failed(errno: Self.errno(code)) : .done)
            } else if type == 2 {
                guard length - 16 >= 4 else { return finish(.malformed) }
                let code = Int32(bitPattern: Self.load(UInt32.self, bytes, body))
                return finish(code == 0 ? .done : .failed(errno: Self.errno(code)))
            } else {
                skipped += 1
            }
            offset += (length + 3) / 4 * 4
        }
        return .needMore
    }

    private mutating func finish(_ result: SockDiagReplyStatus) -> SockDiagReplyStatus {
        status = result
        return result
    }

    /// Host byte order, which is little-endian on every Linux twload builds for (x86_64, aarch64).
    private static func load<T: FixedWidthInteger>(_: T.Type, _ bytes: [UInt8], _ offset: Int) -> T {
        var value: T = 0
        for i in 0..<MemoryLayout<T>.size { value |= T(truncatingIfNeeded: bytes[offset + i]) << (8 * i) }
        return value
    }

    private static func errno(_ code: Int32) -> Errno {
        Errno(rawValue: code == Int32.min ? Int32.max : abs(code))
    }
}
