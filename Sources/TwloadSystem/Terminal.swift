import CTwloadLinux
import Glibc

/// What the live status line needs to know about terminals: whether a descriptor is one, whether two
/// descriptors reach the same one, and how wide it is.
public enum Terminal {
    /// The kernel's identity of a terminal: the device number (st_rdev) of the character device behind a
    /// descriptor.
    public struct Device: Hashable, Sendable {
        public let rawValue: UInt64

        /// /dev/tty (major 5, minor 0, which Linux's dev_t encodes as 0x500): the process's controlling
        /// terminal, whichever terminal that is.
        public static let controllingTerminal = Device(rawValue: 0x500)
    }

    /// Whether `fd` is a terminal.
    @inline(never)
    public static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    /// The terminal device behind `fd`, or nil when `fd` is no terminal (a file, a pipe, /dev/null). A
    /// failed fstat on a terminal is thrown (EBADF, a descriptor twload does not own, stops a debug build).
    @inline(never)
    public static func device(_ fd: Int32) throws(SystemError) -> Device? {
        guard isTerminal(fd) else { return nil }
        var status = stat()
        while fstat(fd, &status) != 0 {
            let e = lastErrno()
            if e != .interrupted { throw SystemError(errno: e, call: "fstat") }
        }
        guard status.st_mode & S_IFMT == S_IFCHR else { return nil }
        return Device(rawValue: UInt64(status.st_rdev))
    }

    /// Whether text written to `a` and to `b` lands on the same terminal: both are terminals, and either
    /// their devices are equal (`/dev/pts/3` twice, however opened) or one of them is /dev/tty, the
    /// controlling terminal, which is taken to be the other (it is where a user's terminal is). False when
    /// either is no terminal or cannot be examined.
    public static func areSame(_ a: Int32, _ b: Int32) -> Bool {
        guard let da = try? device(a), let db = try? device(b) else { return false }
        return da == db || da == .controllingTerminal || db == .controllingTerminal
    }

    /// The width of the terminal behind `fd` in columns, or nil when `fd` is no terminal or the terminal
    /// does not say (a width of 0, as a pseudo-terminal nobody sized reports).
    @inline(never)
    public static func columns(_ fd: Int32) -> Int? {
        while true {
            let n = ctw_window_columns(fd)
            if n > 0 { return Int(n) }
            if n == 0 { return nil }
            if lastErrno() != .interrupted { return nil }
        }
    }
}
