import Glibc

/// A failed system call: the call's name and the errno it left.
///
/// Thrown by every wrapper in this module (typed throws, so it costs no allocation).
/// Programmer errors (EBADF, EFAULT, EINVAL on an fd we own) are still reported, not trapped, so that a
/// load run never crashes on a kernel surprise; callers count them as `other_errors`.
public struct SystemError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The errno value.
    public let errno: Int32
    /// The system call that failed, e.g. "connect".
    public let call: StaticString

    public init(errno: Int32, call: StaticString) {
        self.errno = errno
        self.call = call
    }

    public var description: String {
        "\(call): \(Errno.name(errno)) (\(Errno.message(errno)))"
    }

    public static func == (a: SystemError, b: SystemError) -> Bool {
        a.errno == b.errno && a.call.description == b.call.description
    }
}

/// Reads errno right after a failed call. `@inline(never)` on the wrappers keeps ARC traffic from
/// running between the call and this read (the reason NIOPosix gives for the same rule).
@inline(__always)
func lastErrno() -> Int32 { Glibc.errno }
