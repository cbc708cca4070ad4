import CTwloadLinux
import Glibc

/// A pipe for passing small fixed-size records (file descriptors) between threads. The write end is
/// non-blocking, so a full pipe is reported as `false` instead of stalling an event loop.
public struct Pipe: ~Copyable, Sendable {
    public let readFD: Int32
    public let writeFD: Int32

    public init() throws(SystemError) {
        var fds: [Int32] = [-1, -1]
        if ctw_pipe_cloexec(&fds) != 0 { throw SystemError(errno: lastErrno(), call: "pipe2") }
        let flags = fcntl(fds[1], F_GETFL)
        if flags < 0 || fcntl(fds[1], F_SETFL, flags | O_NONBLOCK) != 0 {
            let e = lastErrno()
            Glibc.close(fds[0])
            Glibc.close(fds[1])
            throw SystemError(errno: e, call: "fcntl(O_NONBLOCK)")
        }
        readFD = fds[0]
        writeFD = fds[1]
    }

    deinit {
        Glibc.close(readFD)
        Glibc.close(writeFD)
    }

    /// Sends one value; false when the pipe is full.
    public func send(_ value: Int32) -> Bool {
        var v = value
        while true {
            let n = Glibc.write(writeFD, &v, 4)
            if n == 4 { return true }
            if n < 0 && lastErrno() == .interrupted { continue }
            return false
        }
    }

    /// Sends one value, yielding the CPU while the pipe is full.
    public func sendWaiting(_ value: Int32) {
        while !send(value) { sched_yield() }
    }

    /// Blocks on `readFD` for the next value; nil when the write end is closed or on an error.
    public static func receive(from readFD: Int32) -> Int32? {
        var v: Int32 = 0
        while true {
            let n = Glibc.read(readFD, &v, 4)
            if n == 4 { return v }
            if n < 0 && lastErrno() == .interrupted { continue }
            return nil
        }
    }
}
