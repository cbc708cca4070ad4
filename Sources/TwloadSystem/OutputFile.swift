import Glibc

/// A file descriptor to write text to (CSV rows, status lines). Each `write` goes straight to the kernel,
/// so a killed run loses nothing already written.
public struct OutputFile: ~Copyable, Sendable {
    public let fd: Int32
    private let owned: Bool

    public static func standardOutput() -> OutputFile { OutputFile(fd: 1, owned: false) }
    public static func standardError() -> OutputFile { OutputFile(fd: 2, owned: false) }

    private init(fd: Int32, owned: Bool) {
        self.fd = fd
        self.owned = owned
    }

    /// Creates or truncates `path`.
    public init(creating path: String) throws(SystemError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if fd < 0 { throw SystemError(errno: lastErrno(), call: "open") }
        self.init(fd: fd, owned: true)
    }

    deinit { if owned { Glibc.close(fd) } }

    /// Writes all of `text`, retrying short writes and EINTR.
    public func write(_ text: String) throws(SystemError) {
        var text = text
        let failure: Errno? = text.withUTF8 { buf in
            var off = 0
            while off < buf.count {
                let n = Glibc.write(fd, buf.baseAddress! + off, buf.count - off)
                if n < 0 {
                    let e = lastErrno()
                    if e == .interrupted { continue }
                    return e
                }
                off += n
            }
            return nil
        }
        if let failure { throw SystemError(errno: failure, call: "write") }
    }

    /// Whether the descriptor is a terminal.
    public var isTerminal: Bool { isatty(fd) == 1 }
}
