import Glibc

/// Readable names for the errno values a load generator meets.
public enum Errno {
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
