import Glibc

/// A failed setup call: the call's name and the errno it left. Every wrapper that sets something up
/// (sockets for listening, epoll, threads, files) throws it; typed throws, so it costs no allocation.
///
/// Per-connection calls do not throw: they return a small result enum (`ConnectResult`, `IOResult`,
/// `AcceptResult`, `CloseResult`, `PendingError`), so the event loop's common path has no error handling.
public struct SystemError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The errno value.
    public let errno: Errno
    /// The system call that failed, e.g. "connect".
    public let call: StaticString

    public init(errno: Errno, call: StaticString) {
        self.errno = errno
        self.call = call
    }

    /// E.g. "bind: EADDRINUSE (Address already in use)".
    public var description: String {
        "\(call): \(errno.name) (\(errno.message))"
    }

    public static func == (a: SystemError, b: SystemError) -> Bool {
        a.errno == b.errno && a.call.description == b.call.description
    }
}

/// Reads errno right after a failed glibc call. `@inline(never)` on the wrappers keeps ARC traffic from
/// running between the call and this read (the reason NIOPosix gives for the same rule).
@inline(__always)
func lastErrno() -> Errno { Errno(failedCall: Glibc.errno) }
