import TwloadModel
import TwloadSystem

/// How the built-in server treats each connection.
public struct ServerSettings: Sendable {
    public var listen: SocketAddress
    /// `server`: the server closes first (after its reply, or right after accept when no request is
    /// awaited). `client`: it waits for the client's FIN, then closes.
    public var close: CloseSide
    public var linger: LingerMode
    public var wireProtocol: WireProtocol
    /// In server-close mode, whether to wait for a request before replying and closing. Closing with
    /// unread data would send RST instead of FIN, so this must be on whenever clients send something.
    public var awaitRequest: Bool
    public var backlog: Int32 = 4096
    /// `--hold`: how long after accept the server keeps each connection before the action that ends it
    /// (0, the default: none). Server-close: the reply (when a request is awaited) and the close come at
    /// max(request complete, accept + hold). Client-close: the reply comes then, and the server waits for
    /// the client's FIN as usual. A client that closes during the hold ends it early (a passive close).
    public var holdNanos: Int64 = 0

    public init(
        listen: SocketAddress, close: CloseSide, linger: LingerMode, wireProtocol: WireProtocol,
        awaitRequest: Bool
    ) {
        self.listen = listen
        self.close = close
        self.linger = linger
        self.wireProtocol = wireProtocol
        self.awaitRequest = awaitRequest || wireProtocol == .http
    }

    /// The bytes sent in reply to a request.
    public var reply: [UInt8] {
        switch wireProtocol {
        case .tcp:
            return Array("ok\n".utf8)
        case .http:
            let connection = close == .server ? "Connection: close\r\n" : ""
            return Array(
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\(connection)\r\nok\n".utf8)
        }
    }
}
