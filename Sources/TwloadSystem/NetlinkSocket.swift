import CTwloadLinux
import Glibc

/// A blocking `NETLINK_SOCK_DIAG` socket: the channel `ss` uses to ask the kernel for its socket
/// tables. Each request is one datagram to the kernel; each reply datagram holds whole netlink
/// messages, never part of one.
///
/// The descriptor is closed when the value goes away. Replies are read with a receive timeout,
/// so a kernel that never answers shows up as an `EAGAIN` error instead of a hung sampler thread.
public struct NetlinkSocket: ~Copyable {
    /// The descriptor.
    public let fd: Int32

    /// Opens `socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG)`.
    ///
    /// - Parameter receiveTimeoutMilliseconds: how long one `receive` may wait (0: forever).
    public init(receiveTimeoutMilliseconds: Int = 5000) throws(SystemError) {
        let type = Int32(SOCK_DGRAM.rawValue) | ctw_SOCK_CLOEXEC
        var fd: Int32 = -1
        while true {
            fd = Glibc.socket(AF_NETLINK, type, NETLINK_SOCK_DIAG)
            if fd >= 0 { break }
            let e = lastErrno()
            if e != .interrupted { throw SystemError(errno: e, call: "socket(AF_NETLINK)") }
        }
        if receiveTimeoutMilliseconds > 0 {
            var tv = timeval(
                tv_sec: receiveTimeoutMilliseconds / 1000,
                tv_usec: (receiveTimeoutMilliseconds % 1000) * 1000
            )
            let rc = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
            if rc != 0 {
                let e = lastErrno()
                _ = Glibc.close(fd)
                throw SystemError(errno: e, call: "setsockopt(SO_RCVTIMEO)")
            }
        }
        self.fd = fd
    }

    deinit { _ = Glibc.close(fd) }

    /// Sends one request datagram to the kernel (`sendto` with a `sockaddr_nl` whose pid is 0).
    public func send(_ request: UnsafeRawBufferPointer) throws(SystemError) {
        if let e = Self.sendToKernel(fd, request) { throw SystemError(errno: e, call: "sendto(netlink)") }
    }

    /// Sends the request bytes as one datagram to the kernel.
    public func send(_ request: [UInt8]) throws(SystemError) {
        let fd = fd
        if let e = request.withUnsafeBytes({ Self.sendToKernel(fd, $0) }) {
            throw SystemError(errno: e, call: "sendto(netlink)")
        }
    }

    /// sendto() to the kernel, retrying EINTR; nil or the errno. A short send (impossible for a
    /// netlink datagram) is reported as EMSGSIZE.
    @inline(never)
    private static func sendToKernel(_ fd: Int32, _ request: UnsafeRawBufferPointer) -> Errno? {
        var kernel = sockaddr_nl()
        kernel.nl_family = sa_family_t(AF_NETLINK)
        kernel.nl_pid = 0
        kernel.nl_groups = 0
        while true {
            let n = withUnsafePointer(to: &kernel) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.sendto(
                        fd, request.baseAddress, request.count, 0, $0,
                        socklen_t(MemoryLayout<sockaddr_nl>.size))
                }
            }
            if n == request.count { return nil }
            if n >= 0 { return .messageTooLong }
            let e = lastErrno()
            if e != .interrupted { return e }
        }
    }

    /// Receives one reply datagram into `buffer` and returns its length.
    ///
    /// A datagram larger than `buffer` would lose its tail, so it is reported as `EMSGSIZE`
    /// (detected with `MSG_TRUNC`, which makes netlink return the full length) rather than
    /// handed back cut short. `EAGAIN` means the receive timeout passed with no reply.
    @inline(never)
    public func receive(into buffer: UnsafeMutableRawBufferPointer) throws(SystemError) -> Int {
        while true {
            let n = Glibc.recv(fd, buffer.baseAddress, buffer.count, Int32(MSG_TRUNC))
            if n > buffer.count { throw SystemError(errno: .messageTooLong, call: "recv(netlink)") }
            if n >= 0 { return n }
            let e = lastErrno()
            if e != .interrupted { throw SystemError(errno: e, call: "recv(netlink)") }
        }
    }

    /// Receives into a `ReceiveBuffer` and returns the bytes of the datagram.
    @inline(__always)
    public func receive(into buffer: ReceiveBuffer) throws(SystemError) -> UnsafeRawBufferPointer {
        let n = try receive(into: buffer.storage)
        return buffer.prefix(n)
    }

    /// Closes the socket now (the same as letting the value go away).
    public consuming func close() {}
}

extension SocketAddress {
    /// The IP address alone in network byte order: 4 bytes for IPv4, 16 for IPv6. This is the form
    /// an inet_diag host condition compares against.
    public var ipBytes: [UInt8] {
        switch self {
        case .v4(let a): withUnsafeBytes(of: a.sin_addr) { Array($0) }
        case .v6(let a): withUnsafeBytes(of: a.sin6_addr) { Array($0) }
        }
    }
}
