import Glibc

/// A file descriptor to write text to (CSV rows, status lines). Each `write` goes straight to the kernel,
/// so a killed run loses nothing already written.
public struct OutputFile: ~Copyable, Sendable {
    public let fd: Int32
    private let owned: Bool

    public static func standardOutput() -> OutputFile { OutputFile(fd: 1, owned: false) }
    public static func standardError() -> OutputFile { OutputFile(fd: 2, owned: false) }
    /// Writes to `fd`, which stays open with its owner (a file several writers take turns at).
    public static func borrowing(_ fd: Int32) -> OutputFile { OutputFile(fd: fd, owned: false) }

    private init(fd: Int32, owned: Bool) {
        self.fd = fd
        self.owned = owned
    }

    /// Takes ownership of an open descriptor: it is closed with this value.
    public init(adopting fd: Int32) {
        self.init(fd: fd, owned: true)
    }

    /// Creates or truncates `path`. The open never waits: a FIFO that no process has open for reading fails
    /// at once with ENXIO, where a blocking open would wait for a reader forever (and, once a run has blocked
    /// its signals, deaf to Ctrl-C). Once open, the descriptor is switched back to blocking writes, so a slow
    /// reader slows the writer rather than failing it.
    public init(creating path: String) throws(SystemError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NONBLOCK, 0o644)
        if fd < 0 { throw SystemError(errno: lastErrno(), call: "open") }
        let flags = fcntl(fd, F_GETFL)
        if flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0 {
            let e = lastErrno()
            Glibc.close(fd)
            throw SystemError(errno: e, call: "fcntl(F_SETFL)")
        }
        self.init(fd: fd, owned: true)
    }

    deinit { if owned { Glibc.close(fd) } }

    /// Whether `path` names a FIFO (after following symbolic links).
    public static func isFIFO(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFIFO
    }

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

    /// Writes `text` as one record (a CSV row): all of it, or none of it. A full disk can take the first part
    /// of a write and refuse the rest (ENOSPC, EFBIG); then a seekable file is truncated back to where the
    /// record began, so it still ends on a whole record. A pipe or terminal cannot be truncated: what reached
    /// it stays (a pipe takes up to PIPE_BUF bytes in one piece, and a row is shorter).
    public func writeRecord(_ text: String) throws(SystemError) {
        let start = lseek(fd, 0, SEEK_CUR)  // -1 (ESPIPE) when the descriptor is not seekable
        do {
            try write(text)
        } catch {
            if start >= 0, ftruncate(fd, start) == 0 { _ = lseek(fd, start, SEEK_SET) }
            throw error
        }
    }

    /// Whether the descriptor is a terminal.
    public var isTerminal: Bool { isatty(fd) == 1 }
}
