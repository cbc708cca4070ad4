import TwloadModel
import TwloadSystem

/// Parsers for option values ("30s", "10k", "40000-40099", "[::1]:80"). Each failure is a `ConfigError`
/// that names the option and quotes the offending text.
public enum ValueParsing {
    /// A positive rate; accepts a `k` suffix ("2k" = 2000).
    public static func rate(_ text: String, option: String = "--rate") throws(ConfigError) -> Double {
        var body = Substring(text.trimmed)
        var scale = 1.0
        if let last = body.last, last == "k" || last == "K" {
            scale = 1000
            body = body.dropLast()
        }
        guard let v = Double(body), v.isFinite else {
            throw ConfigError(option, "expected a number of connections per second (got '\(text)')")
        }
        let rate = v * scale
        guard rate > 0 else { throw ConfigError(option, "must be greater than 0 (got '\(text)')") }
        guard rate <= 10_000_000 else { throw ConfigError(option, "must be at most 10000000 (got '\(text)')") }
        return rate
    }

    /// `--rate`: one rate ("2000", "2k"), a ramp's two ends ("1000..20000"), or stages ("1000,2000,4000");
    /// each rate as `rate` reads it.
    public static func rateSpec(_ text: String, option: String = "--rate") throws(ConfigError) -> RateSpec {
        let trimmed = text.trimmed
        if let range = trimmed.range(of: "..") {
            let from = try rate(String(trimmed[..<range.lowerBound]), option: option)
            let to = try rate(String(trimmed[range.upperBound...]), option: option)
            return .ramp(from: from, to: to)
        }
        if trimmed.contains(",") {
            var rates: [Double] = []
            for part in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
                rates.append(try rate(String(part), option: option))
            }
            return .steps(rates)
        }
        return .constant(try rate(trimmed, option: option))
    }

    /// A positive duration in nanoseconds: "30" or "30s", "500ms", "250us", "2m", "1h", "1.5s".
    public static func duration(_ text: String, option: String) throws(ConfigError) -> Int64 {
        let ns = try nanoseconds(text, option: option)
        guard ns >= 1e6 else { throw ConfigError(option, "must be at least 1ms (got '\(text)')") }
        guard ns <= RateSchedule.maximumSeconds * 1e9 else {
            throw ConfigError(option, "must be at most 8784h (366 days) (got '\(text)')")
        }
        return Int64(ns)
    }

    /// How long the built-in server holds each connection (`--hold`), or the client pauses between requests
    /// (`--think`): 0 (none) or a duration from 1 ms to 1 h.
    public static func hold(_ text: String, option: String = "--hold") throws(ConfigError) -> Int64 {
        let ns = try nanoseconds(text, option: option)
        guard ns >= 0 else { throw ConfigError(option, "must not be negative (got '\(text)')") }
        guard ns == 0 || ns >= 1e6 else { throw ConfigError(option, "must be 0 or at least 1ms (got '\(text)')") }
        guard ns <= 3600e9 else { throw ConfigError(option, "must be at most 1h (got '\(text)')") }
        return Int64(ns)
    }

    /// How long the built-in server keeps an idle kept-alive connection (`--keepalive-timeout`): a duration
    /// from 1 ms to 1 h.
    public static func keepAliveTimeout(_ text: String, option: String) throws(ConfigError) -> Int64 {
        let ns = try duration(text, option: option)
        guard ns <= 3_600_000_000_000 else { throw ConfigError(option, "must be at most 1h (got '\(text)')") }
        return ns
    }

    /// A number with an optional unit (`ns`, `us`, `ms`, `s`, `m`, `h`; seconds without one) as
    /// nanoseconds, unchecked.
    static func nanoseconds(_ text: String, option: String) throws(ConfigError) -> Double {
        let t = text.trimmed
        let units: [(String, Double)] = [("ms", 1e6), ("us", 1e3), ("ns", 1), ("s", 1e9), ("m", 60e9), ("h", 3600e9)]
        var number = Substring(t)
        var scale = 1e9
        for (suffix, s) in units where t.hasSuffix(suffix) {
            number = t.dropLast(suffix.count)
            scale = s
            break
        }
        guard let v = Double(number), v.isFinite else {
            throw ConfigError(option, "expected a duration such as 30s, 500ms or 2m (got '\(text)')")
        }
        return v * scale
    }

    /// A row interval: a duration of at least 10 ms.
    public static func interval(_ text: String, option: String = "--interval") throws(ConfigError) -> Int64 {
        let ns = try duration(text, option: option)
        guard ns >= 10_000_000 else { throw ConfigError(option, "must be at least 10ms (got '\(text)')") }
        return ns
    }

    /// `off`, `0` (RST on close) or a number of seconds.
    public static func linger(_ text: String, option: String = "--linger") throws(ConfigError) -> LingerMode {
        let t = text.trimmed.lowercased()
        if t == "off" { return .off }
        guard let n = Int32(t), n >= 0, n <= 3600 else {
            throw ConfigError(option, "expected off, 0 or a number of seconds up to 3600 (got '\(text)')")
        }
        return n == 0 ? .reset : .seconds(n)
    }

    /// "LO-HI" with 1 <= LO <= HI <= 65535.
    public static func portRange(
        _ text: String, option: String = "--source-ports"
    ) throws(ConfigError)
        -> PortRange
    {
        let parts = text.trimmed.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw ConfigError(option, "expected LO-HI such as 40000-40099 (got '\(text)')") }
        let low = try port(String(parts[0]), option: option)
        let high = try port(String(parts[1]), option: option)
        guard low <= high else { throw ConfigError(option, "LO must not exceed HI (got '\(text)')") }
        return PortRange(low: low, high: high)
    }

    /// A port 1-65535 (0 too when `allowZero`, for "any free port").
    public static func port(_ text: String, option: String, allowZero: Bool = false) throws(ConfigError) -> UInt16 {
        guard let n = Int(text.trimmed), n >= (allowZero ? 0 : 1), n <= 65535 else {
            throw ConfigError(option, "port must be \(allowZero ? 0 : 1)-65535 (got '\(text)')")
        }
        return UInt16(n)
    }

    /// "HOST:PORT", "[IPv6]:PORT". Returns the host text (without brackets) and the port.
    public static func endpoint(
        _ text: String, option: String, allowZeroPort: Bool = false
    ) throws(ConfigError)
        -> (host: String, port: UInt16)
    {
        let t = text.trimmed
        var host: Substring
        var portText: Substring
        if t.hasPrefix("[") {
            guard let close = t.firstIndex(of: "]"), t[t.index(after: close)...].hasPrefix(":") else {
                throw ConfigError(option, "expected [IPv6]:PORT (got '\(text)')")
            }
            host = t[t.index(after: t.startIndex)..<close]
            portText = t[t.index(close, offsetBy: 2)...]
        } else {
            guard let colon = t.lastIndex(of: ":"), t.firstIndex(of: ":") == colon else {
                throw ConfigError(option, "expected HOST:PORT or [IPv6]:PORT (got '\(text)')")
            }
            host = t[..<colon]
            portText = t[t.index(after: colon)...]
        }
        guard !host.isEmpty else { throw ConfigError(option, "missing host in '\(text)'") }
        // The host goes into the HTTP Host header as typed: visible ASCII only, so that no space, control byte
        // or CR LF can end the header early (a NUL would also hide the rest from inet_pton and getaddrinfo).
        if let (position, hex) = firstInvisibleByte(host) {
            throw ConfigError(
                option,
                "byte 0x\(hex) at character \(position) of the host is not allowed; "
                    + "a host is a name or an IP address in visible ASCII")
        }
        let port = try port(String(portText), option: option, allowZero: allowZeroPort)
        return (String(host), port)
    }

    /// Resolves an endpoint to a socket address, keeping the host as typed.
    public static func address(
        _ text: String, option: String, allowZeroPort: Bool = false
    ) throws(ConfigError)
        -> Endpoint
    {
        let (host, port) = try endpoint(text, option: option, allowZeroPort: allowZeroPort)
        do {
            return Endpoint(address: try SocketAddress.resolve(host: host, port: port), host: host)
        } catch {
            throw ConfigError(option, "cannot resolve host '\(host)' (got '\(text)')")
        }
    }

    /// A numeric IPv4 or IPv6 address (no port).
    public static func ip(_ text: String, option: String) throws(ConfigError) -> SocketAddress {
        var t = text.trimmed
        if t.hasPrefix("[") && t.hasSuffix("]") { t = String(t.dropFirst().dropLast()) }
        guard let a = SocketAddress(ip: t, port: 0) else {
            throw ConfigError(option, "expected an IPv4 or IPv6 address (got '\(text)')")
        }
        return a
    }

    /// A CSV destination: `-` for standard output, or a file path (not empty).
    public static func output(_ text: String, option: String = "--csv") throws(ConfigError) -> OutputDestination {
        if text == "-" { return .standardOutput }
        guard !text.isEmpty else { throw ConfigError(option, "expected a file path or - (got '')") }
        return .file(text)
    }

    /// An HTTP request path: it must start with `/` and hold only visible ASCII (0x21-0x7E), so that no
    /// space, CR, LF or control byte can end the request line early and inject a header.
    public static func path(_ text: String, option: String = "--path") throws(ConfigError) -> String {
        guard text.hasPrefix("/") else { throw ConfigError(option, "must start with / (got '\(text)')") }
        if let (position, hex) = firstInvisibleByte(text) {
            throw ConfigError(
                option,
                "byte 0x\(hex) at character \(position) is not allowed in a request path; percent-encode it (%\(hex))")
        }
        return text
    }

    /// The first byte of `text` outside visible ASCII (0x21-0x7E), the bytes that may go into a request line
    /// or header as typed: its 1-based position and its value as two uppercase hex digits.
    static func firstInvisibleByte(_ text: some StringProtocol) -> (position: Int, hex: String)? {
        guard let (offset, byte) = text.utf8.enumerated().first(where: { !(0x21...0x7E).contains($0.element) })
        else { return nil }
        let hex = String(byte, radix: 16, uppercase: true)
        return (offset + 1, hex.count == 1 ? "0" + hex : hex)
    }

    /// A percentage ("5%", or "5") within `range` (in percent), as a fraction (0.05).
    public static func percent(
        _ text: String, option: String, in range: ClosedRange<Double>
    ) throws(ConfigError) -> Double {
        let t = text.trimmed
        let body = t.hasSuffix("%") ? t.dropLast() : Substring(t)
        guard let v = Double(body), v.isFinite, range.contains(v) else {
            throw ConfigError(
                option,
                "expected a percentage from \(NumberText.compact(range.lowerBound))% to "
                    + "\(NumberText.compact(range.upperBound))% (got '\(text)')")
        }
        return v / 100
    }

    /// A whole number within `range`.
    public static func integer(_ text: String, option: String, in range: ClosedRange<Int>) throws(ConfigError) -> Int {
        guard let n = Int(text.trimmed), range.contains(n) else {
            throw ConfigError(
                option, "expected a whole number from \(range.lowerBound) to \(range.upperBound) (got '\(text)')")
        }
        return n
    }

    /// One of an enum's raw values.
    public static func choice<E: RawRepresentable & CaseIterable>(
        _ text: String, option: String
    ) throws(ConfigError)
        -> E where E.RawValue == String
    {
        if let v = E(rawValue: text.trimmed.lowercased()) { return v }
        let names = E.allCases.map(\.rawValue).joined(separator: "|")
        throw ConfigError(option, "expected \(names) (got '\(text)')")
    }
}
