import CTwloadLinux
import Glibc

/// An eventfd used to wake an event loop from another thread (for example to stop it).
public struct EventFD: ~Copyable, Sendable {
    public let fd: Int32

    public init() throws(SystemError) {
        let fd = eventfd(0, ctw_EFD_NONBLOCK | ctw_EFD_CLOEXEC)
        if fd < 0 { throw SystemError(errno: lastErrno(), call: "eventfd") }
        self.fd = fd
    }

    deinit { Glibc.close(fd) }

    /// Makes the descriptor readable. Safe to call from any thread. The write can only fail with EAGAIN,
    /// when the counter is already near its maximum, and then the descriptor is readable anyway.
    public func signal() {
        var one: UInt64 = 1
        _ = Glibc.write(fd, &one, 8)
    }
}
