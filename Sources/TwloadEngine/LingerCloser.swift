import TwloadSystem

/// Closes sockets that have SO_LINGER {1,N>0} off the event loops: such a close() blocks until the FIN is
/// acknowledged or N seconds pass, even on a non-blocking socket. Event loops hand the fd over through a
/// pipe (no allocation, no lock) and a few threads close them in order.
public final class LingerCloser: Sendable {
    private let pipe: Pipe
    private let threads: [OSThread]

    public init(threadCount: Int = 4) throws(SystemError) {
        let pipe = try Pipe()
        let readFD = pipe.readFD
        var threads: [OSThread] = []
        for i in 0..<threadCount {
            threads.append(
                try OSThread(name: "twload-close\(i)") {
                    while let fd = Pipe.receive(from: readFD), fd >= 0 { Socket.close(fd) }
                })
        }
        self.pipe = pipe
        self.threads = threads
    }

    /// Queues `fd` to be closed. If the queue is full, closes it here (blocking) rather than leak it.
    public func close(_ fd: Int32) {
        if !pipe.send(fd) { Socket.close(fd) }
    }

    /// Closes everything queued so far, then stops the threads.
    public func finish() {
        for _ in threads { pipe.sendWaiting(-1) }
        for t in threads { t.join() }
    }
}
