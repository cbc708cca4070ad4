import CTwloadLinux
import Glibc
import TwloadCensus
import TwloadSystem

/// A captured sock_diag reply: the datagrams of one dump, as the kernel sent them. Used to benchmark
/// and test the parser on real replies without a live socket table.
public struct SockDiagRecording: Sendable {
    public let sequence: UInt32
    public let datagrams: [[UInt8]]

    /// Dumps `family` with `filter` once and keeps every reply datagram.
    public static func capture(
        family: Int32 = AF_INET, filter: PortFilter = .none, states: TCPStates = .all
    )
        throws(SystemError) -> SockDiagRecording
    {
        let socket = try NetlinkSocket()
        let sequence: UInt32 = 1
        try socket.send(SockDiagRequest.dump(family: family, states: states, filter: filter, sequence: sequence))
        let buffer = ReceiveBuffer(size: 64 * 1024)
        var datagrams: [[UInt8]] = []
        var parser = SockDiagParser(sequence: sequence)
        while true {
            let reply = try socket.receive(into: buffer)
            datagrams.append(Array(reply))
            switch parser.consume(reply) {
            case .needMore: continue
            case .done: return SockDiagRecording(sequence: sequence, datagrams: datagrams)
            case .failed(let e): throw SystemError(errno: e, call: "sock_diag")
            case .malformed: throw SystemError(errno: .badMessage, call: "sock_diag(reply)")
            }
        }
    }

    /// Parses the recording from scratch; nil if it does not end in NLMSG_DONE.
    public func parse() -> StateCounts? {
        var parser = SockDiagParser(sequence: sequence)
        for d in datagrams {
            let status = d.withUnsafeBytes { parser.consume($0) }
            if case .done = status { return parser.counts }
            if case .needMore = status { continue }
            return nil
        }
        return nil
    }

    /// Sockets in the recording.
    public var socketCount: Int { parse()?.total ?? 0 }
}
