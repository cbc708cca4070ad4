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
    /// `http`: the most requests answered on one connection (nginx's `keepalive_requests`). The last
    /// response carries `Connection: close` and the server closes first after it; nil: no limit. The
    /// default is 1 under server-close (reply, close: no keep-alive) and nil under client-close (answer
    /// every request until the client's FIN). `tcp` ignores it: one reply per connection.
    public var maxRequests: Int?
    /// `http`: how long a connection that has had a response may wait for its next request before the
    /// server closes it (first, without a response); 0, the default: as long as the client likes.
    public var keepAliveTimeoutNanos: Int64 = 0

    public init(
        listen: SocketAddress, close: CloseSide, linger: LingerMode, wireProtocol: WireProtocol,
        awaitRequest: Bool
    ) {
        self.listen = listen
        self.close = close
        self.linger = linger
        self.wireProtocol = wireProtocol
        self.awaitRequest = awaitRequest || wireProtocol == .http
        self.maxRequests = close == .server ? 1 : nil
    }

    /// The bytes sent in reply to a request; `closing`: the connection's last (`Connection: close` in http).
    public func reply(closing: Bool) -> [UInt8] {
        switch wireProtocol {
        case .tcp:
            return Array("ok\n".utf8)
        case .http:
            let connection = closing ? "Connection: close\r\n" : ""
            return Array(
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\(connection)\r\nok\n".utf8)
        }
    }

    /// The response after which a connection takes no more requests: `maxRequests` (or never) in http,
    /// the first in tcp.
    var lastResponse: UInt32 {
        guard wireProtocol == .http else { return 1 }
        return maxRequests.map { UInt32(clamping: max(1, $0)) } ?? .max
    }

    /// Whether the server closes first after the last response; otherwise (tcp under client-close) it
    /// waits for the client's FIN.
    var closesAfterLastResponse: Bool { wireProtocol == .http || close == .server }
}
