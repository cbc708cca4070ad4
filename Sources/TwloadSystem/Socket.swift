import CTwloadLinux
import Glibc

/// The outcome of a non-blocking connect(): EINPROGRESS is a value, not an error.
public enum ConnectResult: Equatable, Sendable {
    case connected
    case inProgress
    case failed(Errno)
}

/// The outcome of a non-blocking read or write.
public enum IOResult: Equatable, Sendable {
    /// This many bytes moved (for a read, 0 never appears here: see `.endOfFile`).
    case processed(Int)
    /// The peer sent FIN (read returned 0).
    case endOfFile
    /// EAGAIN/EWOULDBLOCK.
    case wouldBlock
    case failed(Errno)
}

/// The outcome of a non-blocking accept4().
public enum AcceptResult: Equatable, Sendable {
    case accepted(Int32)
    case wouldBlock
    case failed(Errno)
}

/// The outcome of close(). On Linux the descriptor is released even when close() reports an error.
public enum CloseResult: Equatable, Sendable {
    case closed
    case failed(Errno)
}

/// A socket's pending error (SO_ERROR), kept apart from a failure to read it.
public enum PendingError: Equatable, Sendable {
    /// No error is pending.
    case none
    /// The socket's error, e.g. ECONNREFUSED after a refused non-blocking connect().
    case error(Errno)
    /// getsockopt() itself failed, with this errno.
    case unreadable(Errno)
}

/// Thin wrappers over the socket system calls. Setup calls (socket, bind, listen) throw `SystemError`;
/// per-connection calls (connect, read, write, accept, close) return a result enum. Each retries EINTR and
/// reports EAGAIN/EINPROGRESS as values. File descriptors are plain `Int32`s: the engine owns them in
/// fd-indexed tables, so there is no object per socket.
public enum Socket {
    /// A blocking, close-on-exec TCP socket, for io_uring: the ring waits for a blocking socket itself,
    /// while a request on a non-blocking one would complete at once with EAGAIN.
    @inlinable
    public static func tcpForRing(family: Int32) throws(SystemError) -> Int32 {
        try tcp(family: family, type: Int32(SOCK_STREAM.rawValue) | ctw_SOCK_CLOEXEC)
    }

    /// A non-blocking, close-on-exec TCP socket. (Raw system call: no errno, no cancellation point.)
    @inlinable
    public static func tcp(family: Int32) throws(SystemError) -> Int32 {
        try tcp(family: family, type: Int32(SOCK_STREAM.rawValue) | ctw_SOCK_NONBLOCK | ctw_SOCK_CLOEXEC)
    }

    /// socket(family, type), retrying EINTR.
    @inlinable @inline(__always)
    static func tcp(family: Int32, type: Int32) throws(SystemError) -> Int32 {
        while true {
            let fd = ctw_raw_socket(family, type)
            if fd >= 0 { return fd }
            if -fd != EINTR { throw SystemError(errno: Errno(failedCall: -fd), call: "socket") }
        }
    }

    /// Binds `fd` to `address` (port 0 lets the kernel choose).
    @inline(never)
    public static func bind(_ fd: Int32, to address: SocketAddress) throws(SystemError) {
        let rc = address.withSockAddr { Glibc.bind(fd, $0, $1) }
        if rc != 0 { throw SystemError(errno: lastErrno(), call: "bind") }
    }

    @inline(never)
    public static func listen(_ fd: Int32, backlog: Int32) throws(SystemError) {
        if Glibc.listen(fd, backlog) != 0 { throw SystemError(errno: lastErrno(), call: "listen") }
    }

    /// accept4 with SOCK_NONBLOCK | SOCK_CLOEXEC. A connection aborted before it was taken is skipped.
    @inlinable
    public static func accept(_ fd: Int32) -> AcceptResult {
        while true {
            let c = ctw_raw_accept4(fd, ctw_SOCK_NONBLOCK | ctw_SOCK_CLOEXEC)
            if c >= 0 { return .accepted(c) }
            let e = -c
            if e == EINTR || e == ECONNABORTED { continue }
            return (e == EAGAIN || e == EWOULDBLOCK) ? .wouldBlock : .failed(Errno(failedCall: e))
        }
    }

    @inlinable
    public static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> IOResult {
        while true {
            let n = ctw_raw_read(fd, buffer.baseAddress, buffer.count)
            if n > 0 { return .processed(n) }
            if n == 0 { return .endOfFile }
            let e = Int32(-n)
            if e == EINTR { continue }
            return (e == EAGAIN || e == EWOULDBLOCK) ? .wouldBlock : .failed(Errno(failedCall: e))
        }
    }

    /// send() with MSG_NOSIGNAL, so a reset peer gives EPIPE rather than SIGPIPE.
    @inlinable
    public static func write(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) -> IOResult {
        while true {
            let n = ctw_raw_send(fd, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL))
            if n >= 0 { return .processed(n) }
            let e = Int32(-n)
            if e == EINTR { continue }
            return (e == EAGAIN || e == EWOULDBLOCK) ? .wouldBlock : .failed(Errno(failedCall: e))
        }
    }

    /// close(). EINTR is not retried: on Linux the descriptor is released even then.
    @inlinable
    @discardableResult
    public static func close(_ fd: Int32) -> CloseResult {
        let rc = ctw_raw_close(fd)
        return rc == 0 ? .closed : .failed(Errno(failedCall: -rc))
    }

    /// The pending error of a socket (SO_ERROR).
    @inline(never)
    public static func pendingError(_ fd: Int32) -> PendingError {
        var value: Int32 = 0
        var len = socklen_t(MemoryLayout<Int32>.size)
        if getsockopt(fd, SOL_SOCKET, SO_ERROR, &value, &len) != 0 { return .unreadable(lastErrno()) }
        return value == 0 ? .none : .error(Errno(rawValue: value))
    }

    /// The local port the kernel gave `fd`.
    public static func localPort(_ fd: Int32) throws(SystemError) -> UInt16 {
        var storage = sockaddr_storage()
        var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let rc = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        if rc != 0 { throw SystemError(errno: lastErrno(), call: "getsockname") }
        if Int32(storage.ss_family) == AF_INET6 {
            return withUnsafeBytes(of: storage) { UInt16(bigEndian: $0.load(as: sockaddr_in6.self).sin6_port) }
        }
        return withUnsafeBytes(of: storage) { UInt16(bigEndian: $0.load(as: sockaddr_in.self).sin_port) }
    }

    /// Whether `address` (its IP) belongs to this host or namespace: bind() to it succeeds only then.
    public static func isLocalAddress(_ address: SocketAddress) -> Bool {
        guard let fd = try? tcp(family: address.family) else { return false }
        defer { close(fd) }
        var probe = address
        probe.port = 0
        do {
            try bind(fd, to: probe)
            return true
        } catch {
            return false
        }
    }
}
