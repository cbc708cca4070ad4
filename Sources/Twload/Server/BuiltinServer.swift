import Synchronization
import TwloadSystem

/// The built-in target: one epoll loop on its own thread that accepts in bursts (accept4), answers a
/// request and closes first or waits for the client's FIN, as `ServerSettings.close` says. It keeps
/// cumulative counters and publishes a snapshot every `publishNanos`.
public final class BuiltinServer: Sendable {
    public let settings: ServerSettings
    /// The bound address (with the real port when the listen port was 0).
    public let address: SocketAddress
    private let listenFD: Int32
    private let control: RunControl
    private let snapshot = Mutex(ServerCounters())
    private let thread = Mutex<OSThread?>(nil)

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
    }

    /// Starts the server thread.
    public func start(publishNanos: Int64 = 1_000_000_000) throws(SystemError) {
        let loop = try ServerLoop(settings: settings, listenFD: listenFD, control: control)
        let box = UncheckedSendable(loop)
        let t = try OSThread(name: "twload-server") { [self] in
            var loop = box.take()
            loop.run(publishNanos: publishNanos) { counters in self.snapshot.withLock { $0 = counters } }
        }
        thread.withLock { $0 = t }
    }

    /// The latest published counters.
    public var counters: ServerCounters { snapshot.withLock { $0 } }

    /// Stops the loop, closes every connection and the listener, and returns the final counters.
    @discardableResult
    public func stop() -> ServerCounters {
        control.requestStop()
        if let t = thread.withLock({ $0.take() }) { t.join() }
        Socket.close(listenFD)
        return counters
    }
}

/// Hands a value that is only ever used by one thread at a time across a thread boundary.
final class UncheckedSendable<T: ~Copyable>: @unchecked Sendable {
    private var value: T?
    init(_ value: consuming T) { self.value = .some(value) }
    func take() -> T {
        guard let v = value.take() else { fatalError("value already taken") }
        return v
    }
}
