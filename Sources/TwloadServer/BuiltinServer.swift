import Synchronization
import TwloadEventLoop
import TwloadStats
import TwloadSystem

/// The built-in target: one epoll loop on its own thread that accepts in bursts (accept4), answers a
/// request and closes first or waits for the client's FIN, as `ServerSettings.close` says, after the
/// hold `ServerSettings.holdNanos` if there is one. In http it keeps connections alive: it answers each
/// request in turn up to `maxRequests` and closes an idle one after `keepAliveTimeoutNanos`. It keeps
/// cumulative counters and publishes a snapshot every `publishNanos`.
public final class BuiltinServer: Sendable {
    public let settings: ServerSettings
    /// The bound address (with the real port when the listen port was 0).
    public let address: SocketAddress
    private let listenFD: Int32
    private let control: RunControl
    private let holdRelease: RunControl
    /// The latest published counters and the interval boundary they belong to.
    private let snapshot = Mutex((boundary: 0, counters: ServerCounters()))
    /// Bound (nil thread), running (a thread), or stopped.
    private let state = Mutex<(thread: OSThread?, stopped: Bool)>((nil, false))

    /// Binds and listens; call `start()` to serve.
    public init(settings: ServerSettings) throws(SystemError) {
        let fd = try Socket.tcp(family: settings.listen.family)
        do {
            try SocketOptions.setReuseAddress(fd)
            if settings.listen.family == SocketAddress(ip: "::", port: 0)!.family { try SocketOptions.setIPv6Only(fd) }
            try Socket.bind(fd, to: settings.listen)
            try Socket.listen(fd, backlog: settings.backlog)
            var bound = settings.listen
            bound.port = try Socket.localPort(fd)
            address = bound
        } catch {
            Socket.close(fd)
            throw error
        }
        listenFD = fd
        self.settings = settings
        control = try RunControl()
        holdRelease = try RunControl()
    }

    /// Starts the server thread. It publishes its counters at `startNanos + k·intervalNanos`.
    public func start(
        startNanos: Int64 = MonotonicClock.now(), intervalNanos: Int64 = 1_000_000_000
    )
        throws(SystemError)
    {
        let loop = try ServerLoop(
            settings: settings, listenFD: listenFD, control: control, holdRelease: holdRelease)
        let box = UncheckedSendable(loop)
        let t = try OSThread(name: "twload-server") { [self] in
            var loop = box.take()
            loop.run(startNanos: startNanos, intervalNanos: intervalNanos) { boundary, counters in
                self.snapshot.withLock { $0 = (boundary, counters) }
            }
        }
        state.withLock { $0.thread = t }
    }

    /// The latest published counters.
    public var counters: ServerCounters { snapshot.withLock { $0.counters } }

    /// The counters published at boundary `k` or later, waiting up to `timeoutNanos` for them.
    public func counters(atBoundary k: Int, timeoutNanos: Int64) -> ServerCounters {
        let deadline = MonotonicClock.now() + timeoutNanos
        while true {
            let s = snapshot.withLock { $0 }
            if s.boundary >= k || MonotonicClock.now() >= deadline { return s.counters }
            Sleep.nanoseconds(500_000)
        }
    }

    /// Ends every hold now, without stopping: a run that a signal stops early calls it, so that its held
    /// connections are replied to and closed (each the server's active close) within the client's drain.
    /// Connections accepted from then on are not held. Safe from any thread, idempotent.
    public func endHolds() {
        holdRelease.requestStop()
    }

    /// Stops the loop (ending every hold at once, then letting in-flight closes finish for up to 100 ms),
    /// closes every connection and the listener, and returns the final counters. Idempotent.
    @discardableResult
    public func stop() -> ServerCounters {
        control.requestStop()
        let (thread, alreadyStopped) = state.withLock { s in
            defer { s = (nil, true) }
            return (s.thread, s.stopped)
        }
        if !alreadyStopped {
            thread?.join()
            Socket.close(listenFD)
        }
        return counters
    }
}
