import Glibc

/// Readable names for the errno values a load generator meets.
public enum Errno {
    /// EADDRNOTAVAIL: no free local port (or address) for this 4-tuple.
    public static let addressNotAvailable = EADDRNOTAVAIL
    /// EADDRINUSE: bind() to a port that is still held.
    public static let addressInUse = EADDRINUSE
    /// ECONNREFUSED: nothing listens there (RST to the SYN).
    public static let connectionRefused = ECONNREFUSED
    /// ETIMEDOUT: no answer in time.
    public static let timedOut = ETIMEDOUT
    /// ECONNRESET: the peer sent RST.
    public static let connectionReset = ECONNRESET
    /// EPIPE: write after the peer reset.
    public static let brokenPipe = EPIPE
    /// EMFILE: this process is out of descriptors.
    public static let tooManyOpenFiles = EMFILE
    /// ENFILE: the system is out of descriptors.
    public static let tooManyOpenFilesInSystem = ENFILE
    /// ENOPROTOOPT: the kernel lacks a socket option.
    public static let noProtocolOption = ENOPROTOOPT

    /// The C constant's name, e.g. "EADDRNOTAVAIL"; "E<number>" for an unknown value.
    public static func name(_ code: Int32) -> String {
        switch code {
        case EADDRNOTAVAIL: "EADDRNOTAVAIL"
        case EADDRINUSE: "EADDRINUSE"
        case ECONNREFUSED: "ECONNREFUSED"
        case ETIMEDOUT: "ETIMEDOUT"
        case ECONNRESET: "ECONNRESET"
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
        case EAGAIN: "EAGAIN"
        case EINPROGRESS: "EINPROGRESS"
        case ENOPROTOOPT: "ENOPROTOOPT"
        case EAFNOSUPPORT: "EAFNOSUPPORT"
        case ENOENT: "ENOENT"
        default: "E\(code)"
        }
    }

    /// strerror's text for `code`.
    public static func message(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
