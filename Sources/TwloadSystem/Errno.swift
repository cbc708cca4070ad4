import CTwloadLinux
import Glibc

/// An errno value with a readable name; each name's doc gives its C constant.
///
/// It is a frozen struct around the C int with inlinable names, so a per-connection result carries, stores
/// and compares one as cheaply as an `Int32`: no allocation, no lookup. swift-system's `Errno` has the same
/// shape; twload keeps its own so that the system layer needs no dependency for one type, and because its
/// messages print the C name ("EADDRNOTAVAIL"), which swift-system's `Errno` does not give.
@frozen
public struct Errno: RawRepresentable, Hashable, Sendable, Error, CustomStringConvertible {
    /// The C value.
    public let rawValue: Int32

    @inlinable
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// The errno a failed call returned (as a positive number). EBADF and EFAULT mean twload handed the
    /// kernel a descriptor or a pointer it does not own, which is a bug: a debug build stops here. A
    /// release build reports it like any other errno, so a load run never crashes on it.
    @inlinable @inline(__always)
    public init(failedCall code: Int32) {
        assert(
            code != Errno.badFileDescriptor.rawValue && code != Errno.badAddress.rawValue,
            "EBADF/EFAULT from a system call: a bug in twload")
        rawValue = code
    }

    @inlinable
    public static func == (a: Errno, b: Errno) -> Bool { a.rawValue == b.rawValue }

    /// EADDRNOTAVAIL: no free local port (or address) for this 4-tuple.
    @inlinable public static var addressNotAvailable: Errno { Errno(rawValue: EADDRNOTAVAIL) }
    /// EADDRINUSE: bind() to a port that is still held.
    @inlinable public static var addressInUse: Errno { Errno(rawValue: EADDRINUSE) }
    /// ECONNREFUSED: nothing listens there (RST to the SYN).
    @inlinable public static var connectionRefused: Errno { Errno(rawValue: ECONNREFUSED) }
    /// ETIMEDOUT: no answer in time.
    @inlinable public static var timedOut: Errno { Errno(rawValue: ETIMEDOUT) }
    /// ECONNRESET: the peer sent RST.
    @inlinable public static var connectionReset: Errno { Errno(rawValue: ECONNRESET) }
    /// EPIPE: write after the peer reset.
    @inlinable public static var brokenPipe: Errno { Errno(rawValue: EPIPE) }
    /// EMFILE: this process is out of descriptors.
    @inlinable public static var tooManyOpenFiles: Errno { Errno(rawValue: EMFILE) }
    /// ENFILE: the system is out of descriptors.
    @inlinable public static var tooManyOpenFilesInSystem: Errno { Errno(rawValue: ENFILE) }
    /// EINTR: a signal interrupted the call; the wrappers retry it.
    @inlinable public static var interrupted: Errno { Errno(rawValue: EINTR) }
    /// EINVAL: an argument the call does not accept.
    @inlinable public static var invalidArgument: Errno { Errno(rawValue: EINVAL) }
    /// ERANGE: a value out of the range the kernel accepts (sysctl writes).
    @inlinable public static var resultOutOfRange: Errno { Errno(rawValue: ERANGE) }
    /// ENETUNREACH: no route to the target's network (for example, `lo` is down).
    @inlinable public static var networkUnreachable: Errno { Errno(rawValue: ENETUNREACH) }
    /// EHOSTUNREACH: no route to the target host.
    @inlinable public static var hostUnreachable: Errno { Errno(rawValue: EHOSTUNREACH) }
    /// EBADF: not an open descriptor (a bug when twload passes it).
    @inlinable public static var badFileDescriptor: Errno { Errno(rawValue: EBADF) }
    /// EFAULT: a bad pointer (a bug when twload passes it).
    @inlinable public static var badAddress: Errno { Errno(rawValue: EFAULT) }
    /// ENOENT: no such file.
    @inlinable public static var noSuchFile: Errno { Errno(rawValue: ENOENT) }
    /// EACCES: permission denied.
    @inlinable public static var permissionDenied: Errno { Errno(rawValue: EACCES) }
    /// EMSGSIZE: a datagram larger than the buffer (netlink replies).
    @inlinable public static var messageTooLong: Errno { Errno(rawValue: EMSGSIZE) }
    /// EBADMSG: a malformed reply (netlink).
    @inlinable public static var badMessage: Errno { Errno(rawValue: EBADMSG) }
    /// EAFNOSUPPORT: the address family is not supported.
    @inlinable public static var addressFamilyNotSupported: Errno { Errno(rawValue: EAFNOSUPPORT) }
    /// ENXIO: a non-blocking open of a FIFO for writing that no process has open for reading.
    @inlinable public static var noSuchDeviceOrAddress: Errno { Errno(rawValue: ENXIO) }
    /// ECANCELED: an io_uring request cancelled, or cut from its link.
    @inlinable public static var canceled: Errno { Errno(rawValue: ECANCELED) }

    /// The C constant's name, e.g. "EADDRNOTAVAIL"; "E<number>" for a value not listed here.
    public var name: String {
        switch rawValue {
        case EADDRNOTAVAIL: "EADDRNOTAVAIL"
        case EADDRINUSE: "EADDRINUSE"
        case ECONNREFUSED: "ECONNREFUSED"
        case ETIMEDOUT: "ETIMEDOUT"
        case ECONNRESET: "ECONNRESET"
        case ECONNABORTED: "ECONNABORTED"
        case EMFILE: "EMFILE"
        case ENFILE: "ENFILE"
        case ENETUNREACH: "ENETUNREACH"
        case EHOSTUNREACH: "EHOSTUNREACH"
        case ENOBUFS: "ENOBUFS"
        case ENOMEM: "ENOMEM"
        case EPIPE: "EPIPE"
        case EACCES: "EACCES"
        case EPERM: "EPERM"
        case EINVAL: "EINVAL"
        case ERANGE: "ERANGE"
        case EAGAIN: "EAGAIN"
        case EINPROGRESS: "EINPROGRESS"
        case ENOPROTOOPT: "ENOPROTOOPT"
        case EAFNOSUPPORT: "EAFNOSUPPORT"
        case ENOENT: "ENOENT"
        case EBADF: "EBADF"
        case EFAULT: "EFAULT"
        case EMSGSIZE: "EMSGSIZE"
        case EBADMSG: "EBADMSG"
        case ENOSYS: "ENOSYS"
        case ENOTSOCK: "ENOTSOCK"
        case ENOTCONN: "ENOTCONN"
        case ENXIO: "ENXIO"
        case ECANCELED: "ECANCELED"
        case ENOSPC: "ENOSPC"
        case EFBIG: "EFBIG"
        default: "E\(rawValue)"
        }
    }

    /// strerror's text, e.g. "Cannot assign requested address".
    public var message: String {
        String(cString: strerror(rawValue))
    }

    /// The C name.
    public var description: String { name }
}
