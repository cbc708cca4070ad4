import TwloadSystem

/// A `HOST:PORT` option value, resolved once when it is read: the address and the host as typed (for the
/// HTTP Host header).
public struct Endpoint: Sendable, Equatable {
    public var address: SocketAddress
    public var host: String

    public init(address: SocketAddress, host: String) {
        self.address = address
        self.host = host
    }
}

/// Where a CSV goes: `-` is standard output, anything else a file created (or truncated) at start.
public enum OutputDestination: Sendable, Equatable {
    case standardOutput
    case file(String)

    /// The file's path, or nil for standard output.
    public var path: String? {
        if case .file(let p) = self { return p }
        return nil
    }
}
