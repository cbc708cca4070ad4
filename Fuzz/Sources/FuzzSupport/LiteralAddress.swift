import TwloadConfig
import TwloadSystem

/// Keeps the fuzzers off the network: `ValueParsing.address` resolves a host name with getaddrinfo, which
/// asks DNS. Only `HOST:PORT` texts whose host is a numeric IPv4 or IPv6 address (resolved without any
/// lookup) may reach it.
public enum LiteralAddress {
    /// True when `text` is an endpoint (`HOST:PORT`, `[IPv6]:PORT`) whose host is an IP literal; false for a
    /// host name, and for text that is not an endpoint at all (which fails before any lookup anyway).
    public static func isLiteral(endpoint text: String) -> Bool {
        guard let (host, _) = try? ValueParsing.endpoint(text, option: "--target", allowZeroPort: true) else {
            return false
        }
        return SocketAddress(ip: host, port: 0) != nil
    }
}
