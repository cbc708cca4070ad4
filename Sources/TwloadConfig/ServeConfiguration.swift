import TwloadModel
import TwloadSystem

/// A validated `twload serve`: the built-in server on its own.
public struct ServeConfiguration: Sendable {
    /// Where to listen; port 0 picks a free one.
    public var listen: SocketAddress
    public var close: CloseSide
    public var linger: LingerMode
    public var wireProtocol: WireProtocol
    /// With `--close server` and tcp: wait for data before replying and closing.
    public var awaitRequest: Bool
    /// How long each connection is held after accept before the step that ends it (`--hold`; 0: none).
    public var holdNanos: Int64
    /// http: the most requests answered on one connection (`--max-requests`); nil: the server's default
    /// (1 under `--close server`, no limit under `--close client`).
    public var maxRequests: Int?
    /// http: how long a kept-alive connection may wait for its next request (`--keepalive-timeout`; 0: no
    /// limit).
    public var keepAliveTimeoutNanos: Int64 = 0
    /// Stop after this long; nil runs until SIGINT, SIGTERM or SIGQUIT.
    public var durationNanos: Int64?

    public init(
        listen: SocketAddress, close: CloseSide, linger: LingerMode, wireProtocol: WireProtocol,
        awaitRequest: Bool, holdNanos: Int64 = 0, durationNanos: Int64?
    ) {
        self.listen = listen
        self.close = close
        self.linger = linger
        self.wireProtocol = wireProtocol
        self.awaitRequest = awaitRequest
        self.holdNanos = holdNanos
        self.durationNanos = durationNanos
    }
}
