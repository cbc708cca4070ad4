import CTwloadLinux
import Glibc
import TwloadSystem

/// How many TCP sockets are in each state: the census `ss -tan` prints, as numbers.
public struct StateCounts: Sendable, Equatable, CustomStringConvertible {
    /// The number of slots: TCP states are numbered 1 (ESTABLISHED) to 11 (CLOSING); 0 is unused.
    public static let stateSlots = 12

    /// Counts indexed by the kernel's TCP state number.
    public private(set) var perState: [Int]

    /// All zero.
    public init() {
        perState = Array(repeating: 0, count: Self.stateSlots)
    }

    /// The count for the state numbered `state`; reads 0 and ignores writes outside 0..<12.
    public subscript(state: Int) -> Int {
        get { perState.indices.contains(state) ? perState[state] : 0 }
        set { if perState.indices.contains(state) { perState[state] = newValue } }
    }

    /// Adds one socket in the state numbered `state`. Unknown states are not counted.
    @inline(__always)
    mutating func record(state: Int) {
        if state >= 0 && state < Self.stateSlots { perState[state] += 1 }
    }

    public var established: Int { self[Int(CTW_TCP_ESTABLISHED.rawValue)] }
    public var synSent: Int { self[Int(CTW_TCP_SYN_SENT.rawValue)] }
    /// Includes request sockets (connections still in a listener's SYN queue).
    public var synReceived: Int { self[Int(CTW_TCP_SYN_RECV.rawValue)] }
    public var finWait1: Int { self[Int(CTW_TCP_FIN_WAIT1.rawValue)] }
    public var finWait2: Int { self[Int(CTW_TCP_FIN_WAIT2.rawValue)] }
    /// Connections this host closed first, held for 60 s on Linux.
    public var timeWait: Int { self[Int(CTW_TCP_TIME_WAIT.rawValue)] }
    public var closed: Int { self[Int(CTW_TCP_CLOSE.rawValue)] }
    /// Connections the peer closed but this host's application has not: a pile-up is an app bug.
    public var closeWait: Int { self[Int(CTW_TCP_CLOSE_WAIT.rawValue)] }
    public var lastAck: Int { self[Int(CTW_TCP_LAST_ACK.rawValue)] }
    public var listen: Int { self[Int(CTW_TCP_LISTEN.rawValue)] }
    public var closing: Int { self[Int(CTW_TCP_CLOSING.rawValue)] }

    /// Sockets in any state.
    public var total: Int { perState.reduce(0, +) }

    /// The state-by-state sum of two censuses.
    public static func + (a: StateCounts, b: StateCounts) -> StateCounts {
        var sum = a
        for i in 0..<stateSlots { sum.perState[i] += b.perState[i] }
        return sum
    }

    /// e.g. "ESTABLISHED=3 TIME_WAIT=20 total=23" (zero states left out).
    public var description: String {
        let names = [
            "?", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT", "CLOSE",
            "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING",
        ]
        let parts = perState.indices.filter { perState[$0] != 0 }.map { "\(names[$0])=\(perState[$0])" }
        return (parts + ["total=\(total)"]).joined(separator: " ")
    }
}

/// Counts TCP sockets by state through sock_diag netlink, the way `ss` finds them, with the port
/// filter run in the kernel.
///
/// Owns one netlink socket and one receive buffer, both reused by every `count` call. Not safe
/// to share between threads: give each sampling thread its own counter.
public final class SockDiagCounter {
    private var socket: NetlinkSocket
    /// False while a dump may still have unread replies queued; the socket is replaced before the
    /// next request then, since the kernel refuses a new dump (EBUSY) until the old one is drained.
    private var socketIsIdle = true
    private let buffer: ReceiveBuffer
    private var sequence: UInt32 = 0

    /// Datagrams received by the last `count` call (both families).
    public private(set) var lastReceiveCalls = 0
    /// Reply bytes received by the last `count` call (both families).
    public private(set) var lastReplyBytes = 0

    /// Whether a census asks for both families in one dump (one walk of the kernel's socket tables)
    /// rather than one dump per family. Starts true unless the caller says otherwise, and turns false
    /// for good if the kernel refuses the both-families request.
    public private(set) var dumpsBothFamiliesAtOnce: Bool

    /// Opens the netlink socket.
    ///
    /// - Parameters:
    ///   - bufferSize: the receive buffer. The kernel fills at most ~32 KiB per dump datagram; a
    ///     larger datagram would be reported as EMSGSIZE, never silently cut.
    ///   - bothFamiliesAtOnce: false makes every census one dump per family, as `ss` does.
    public init(bufferSize: Int = 64 * 1024, bothFamiliesAtOnce: Bool = true) throws(SystemError) {
        socket = try NetlinkSocket()
        buffer = ReceiveBuffer(size: max(bufferSize, 16 * 1024))
        dumpsBothFamiliesAtOnce = bothFamiliesAtOnce
    }

    /// Dumps the TCP sockets of both families (AF_INET and AF_INET6) that pass `filter` and
    /// whose state is in `states`, and returns their sum by state.
    ///
    /// IPv4-mapped connections on IPv6 sockets appear once, as AF_INET6 sockets.
    /// Throws the kernel's error as `sock_diag` (e.g. EINVAL for a rejected request), EBADMSG as
    /// `sock_diag(reply)` for a malformed reply, or the failing call's error.
    public func count(filter: PortFilter = .none, states: TCPStates = .all) throws(SystemError) -> StateCounts {
        try census(filter: filter, states: states).counts
    }

    /// `count(filter:states:)`, plus the number of TIME_WAIT sockets with at least `youngTimeWaitMillis`
    /// left on their 60 s timer (0 when it is nil).
    public func census(
        filter: PortFilter = .none, states: TCPStates = .all, youngTimeWaitMillis: UInt32? = nil
    ) throws(SystemError) -> (counts: StateCounts, youngTimeWait: Int) {
        lastReceiveCalls = 0
        lastReplyBytes = 0
        if dumpsBothFamiliesAtOnce {
            do {
                return try dump(youngTimeWaitMillis) { sequence in
                    SockDiagRequest.dumpBothFamilies(states: states, filter: filter, sequence: sequence)
                }
            } catch  where error.call.description == "sock_diag" {
                // A kernel without the older request: ask per family from now on (a bad request
                // fails there too, and is reported then).
                dumpsBothFamiliesAtOnce = false
            }
        }
        let v4 = try dump(youngTimeWaitMillis) {
            SockDiagRequest.dump(family: AF_INET, states: states, filter: filter, sequence: $0)
        }
        let v6 = try dump(youngTimeWaitMillis) {
            SockDiagRequest.dump(family: AF_INET6, states: states, filter: filter, sequence: $0)
        }
        return (v4.counts + v6.counts, v4.youngTimeWait + v6.youngTimeWait)
    }

    /// One dump request, built by `request` for the next sequence number, and all of its replies.
    private func dump(
        _ youngTimeWaitMillis: UInt32?, _ request: (UInt32) -> [UInt8]
    ) throws(SystemError) -> (counts: StateCounts, youngTimeWait: Int) {
        if !socketIsIdle {
            socket = try NetlinkSocket()
            socketIsIdle = true
        }
        sequence &+= 1
        let request = request(sequence)
        try socket.send(request)  // if this throws, nothing was sent and the socket stays idle
        socketIsIdle = false

        var parser = SockDiagParser(sequence: sequence, youngTimeWaitMillis: youngTimeWaitMillis)
        while true {
            let reply = try socket.receive(into: buffer)
            lastReceiveCalls += 1
            lastReplyBytes += reply.count
            // A zero-length datagram would be read forever; netlink never sends one.
            let status = reply.isEmpty ? .malformed : parser.consume(reply)
            switch status {
            case .needMore:
                continue
            case .done:
                socketIsIdle = true
                return (parser.counts, parser.youngTimeWait)
            case .failed(let code):
                socketIsIdle = true  // the error or final status ends the dump
                throw SystemError(errno: code, call: "sock_diag")
            case .malformed:
                throw SystemError(errno: .badMessage, call: "sock_diag(reply)")
            }
        }
    }
}
