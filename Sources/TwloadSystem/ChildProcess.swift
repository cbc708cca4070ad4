import CTwloadLinux
import Glibc

/// Runs a helper program (iproute2's `ip`, `nft`) to its end: the text given on its standard input, its
/// standard output discarded, its standard error kept for the error message. The child starts in the
/// network namespace of the calling thread, which is how the lab configures a namespace it has entered.
public enum ChildProcess {
    /// How a child ended.
    public struct Outcome: Sendable, Equatable {
        /// The exit status, or 128 + the signal that ended it.
        public var status: Int32
        /// Its standard error (at most 64 KiB), trimmed of trailing newlines.
        public var errorText: String
        /// It outlived the time limit and was killed (SIGKILL; `status` is then 137).
        public var timedOut = false
    }

    /// Starts `arguments[0]` (searched in PATH and in /usr/sbin and /sbin, where Debian puts `ip` and `nft`),
    /// writes `input` (at most 60,000 bytes, which a pipe holds without the child reading) to its standard
    /// input, and waits for it, killing it once `timeoutNanos` have passed. Throws when it cannot be
    /// started at all (ENOENT: not installed) or `input` is too long (E2BIG). SIGPIPE is ignored from then
    /// on, so a child that exits without reading its input gives EPIPE here, not the end of this process.
    public static func run(
        _ arguments: [String], input: String = "", timeoutNanos: Int64 = 10_000_000_000
    ) throws(SystemError) -> Outcome {
        guard input.utf8.count <= 60_000 else { throw SystemError(errno: Errno(rawValue: E2BIG), call: "write") }
        BrokenPipeSignal.ignore()
        let path = try locate(arguments[0])
        var inFDs: [Int32] = [-1, -1]
        var errFDs: [Int32] = [-1, -1]
        if ctw_pipe_cloexec(&inFDs) != 0 { throw SystemError(errno: lastErrno(), call: "pipe2") }
        if ctw_pipe_cloexec(&errFDs) != 0 {
            let e = lastErrno()
            close(inFDs[0])
            close(inFDs[1])
            throw SystemError(errno: e, call: "pipe2")
        }
        var actions = posix_spawn_file_actions_t()
        var rc = posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if rc == 0 { rc = posix_spawn_file_actions_adddup2(&actions, inFDs[0], 0) }
        if rc == 0 { rc = posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0) }
        if rc == 0 { rc = posix_spawn_file_actions_adddup2(&actions, errFDs[1], 2) }
        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        if argv.dropLast().contains(where: { $0 == nil }) { rc = ENOMEM }
        if rc == 0 { rc = posix_spawn(&pid, path, &actions, nil, argv, environ) }
        close(inFDs[0])
        close(errFDs[1])
        if rc != 0 {
            close(inFDs[1])
            close(errFDs[0])
            throw SystemError(errno: Errno(rawValue: rc), call: "posix_spawn")
        }
        // Small inputs (a few KiB of commands) fit the pipe; a child that exits early gives EPIPE, which
        // its exit status and message then explain.
        writeAll(inFDs[1], Array(input.utf8))
        close(inFDs[1])
        let (errorText, timedOut) = readAll(errFDs[0], limit: 1 << 16, until: MonotonicClock.now() + timeoutNanos)
        close(errFDs[0])
        if timedOut { kill(pid, SIGKILL) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            let e = lastErrno()
            if e != .interrupted { throw SystemError(errno: e, call: "waitpid") }
        }
        let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        var text = errorText
        while text.last?.isNewline == true { text.removeLast() }
        return Outcome(status: code, errorText: text, timedOut: timedOut)
    }

    /// The program's path: as given when it has a slash, else the first executable in PATH, /usr/sbin or /sbin.
    static func locate(_ name: String) throws(SystemError) -> String {
        if name.contains("/") { return name }
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/bin:/bin"
        let dirs = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/sbin"]
        for dir in dirs where !dir.isEmpty {
            let candidate = "\(dir)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        throw SystemError(errno: .noSuchFile, call: "posix_spawn")
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 && lastErrno() == .interrupted { continue }
            if n <= 0 { return }
            offset += n
        }
    }

    /// Reads `fd` to its end (keeping the first `limit` bytes), or until the monotonic clock passes
    /// `deadline` (then `timedOut`).
    private static func readAll(_ fd: Int32, limit: Int, until deadline: Int64) -> (String, timedOut: Bool) {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let left = deadline - MonotonicClock.now()
            if left <= 0 { return (String(decoding: bytes, as: UTF8.self), true) }
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&p, 1, Int32(min(left / 1_000_000 + 1, 1_000)))
            if ready < 0 && lastErrno() == .interrupted { continue }
            if ready < 0 { break }
            if ready == 0 { continue }
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && lastErrno() == .interrupted { continue }
            if n <= 0 { break }
            if bytes.count < limit { bytes.append(contentsOf: chunk[0..<min(n, limit - bytes.count)]) }
        }
        return (String(decoding: bytes, as: UTF8.self), false)
    }
}
