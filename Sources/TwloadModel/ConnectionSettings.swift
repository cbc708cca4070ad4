/// Which side sends the first FIN, and so which side holds TIME_WAIT.
public enum CloseSide: String, Sendable, CaseIterable {
    /// twload (the client) closes first, after the exchange.
    case client
    /// twload waits for the peer's FIN, then closes.
    case server
}

/// How a socket is closed.
public enum LingerMode: Sendable, Equatable, CustomStringConvertible {
    /// A normal FIN close.
    case off
    /// SO_LINGER {1,0}: close() sends RST and leaves no TIME_WAIT.
    case reset
    /// SO_LINGER {1,N}: close() blocks up to N seconds until the data is acknowledged.
    case seconds(Int32)

    public var description: String {
        switch self {
        case .off: "off"
        case .reset: "0"
        case .seconds(let n): "\(n)"
        }
    }
}

/// What twload exchanges on each connection.
public enum WireProtocol: String, Sendable, CaseIterable {
    /// Optional raw payload (`--send`); in client-close mode the first response bytes end the exchange.
    case tcp
    /// A GET request; the full response (Content-Length or chunked) ends the exchange.
    case http
}

/// An inclusive port range, e.g. 40000-40099.
public struct PortRange: Sendable, Equatable, CustomStringConvertible {
    public let low: UInt16
    public let high: UInt16
    public init(low: UInt16, high: UInt16) {
        self.low = low
        self.high = high
    }
    /// Number of ports in the range.
    public var count: Int { Int(high) - Int(low) + 1 }
    public var description: String { "\(low)-\(high)" }
}

/// How `--source-ports` is enforced.
public enum PortBinding: String, Sendable, CaseIterable {
    /// IP_LOCAL_PORT_RANGE when the kernel has it (Linux >= 6.3), else explicit bind().
    case auto
    /// IP_BIND_ADDRESS_NO_PORT + IP_LOCAL_PORT_RANGE; the kernel picks the port at connect().
    case range
    /// bind() to each port of the range in turn; a port still in use fails with EADDRINUSE.
    case bind
}
