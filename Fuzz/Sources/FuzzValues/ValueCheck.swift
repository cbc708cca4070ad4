import FuzzSupport
import TwloadConfig
import TwloadModel
import TwloadSystem

/// Runs one value parser on fuzz text. Every failure must be a `ConfigError` naming the option it was given;
/// every success must be within what the parser promises (ranges, syntax), and `--send` escapes must decode
/// what an encoder writes back to the same bytes.
enum ValueCheck {
    static let option = "--fuzz"

    static func run(_ parser: ValueParser, text: String) {
        do throws(ConfigError) {
            try check(parser, text)
        } catch {
            fuzzCheck(error.option == option, "\(parser) error names \(error.option), not \(option)")
        }
    }

    private static func check(_ parser: ValueParser, _ text: String) throws(ConfigError) {
        switch parser {
        case .duration:
            let ns = try ValueParsing.duration(text, option: option)
            fuzzCheck(ns >= 1_000_000 && ns <= 366 * 86_400 * 1_000_000_000, "duration '\(text)' is \(ns) ns")
        case .interval:
            let ns = try ValueParsing.interval(text, option: option)
            fuzzCheck(ns >= 10_000_000 && ns <= 366 * 86_400 * 1_000_000_000, "interval '\(text)' is \(ns) ns")
        case .rate:
            let rate = try ValueParsing.rate(text, option: option)
            fuzzCheck(rate > 0 && rate <= 10_000_000, "rate '\(text)' is \(rate)")
        case .portRange:
            let range = try ValueParsing.portRange(text, option: option)
            fuzzCheck(range.low >= 1 && range.low <= range.high && range.count >= 1, "port range '\(text)' is \(range)")
        case .port, .portOrZero:
            let zero = parser == .portOrZero
            let port = try ValueParsing.port(text, option: option, allowZero: zero)
            fuzzCheck(zero || port >= 1, "port '\(text)' is \(port)")
        case .endpoint, .endpointOrZeroPort:
            let zero = parser == .endpointOrZeroPort
            let (host, port) = try ValueParsing.endpoint(text, option: option, allowZeroPort: zero)
            fuzzCheck(!host.isEmpty && (zero || port >= 1), "endpoint '\(text)' is \(host) port \(port)")
            checkHeaderSafe(host)
        case .address:
            // Only IP literals: a host name would be looked up in DNS.
            guard LiteralAddress.isLiteral(endpoint: text) else { return }
            let endpoint = try ValueParsing.address(text, option: option, allowZeroPort: true)
            let (host, port) = try ValueParsing.endpoint(text, option: option, allowZeroPort: true)
            fuzzCheck(endpoint.host == host && endpoint.address.port == port, "address '\(text)' is \(endpoint)")
            checkHeaderSafe(endpoint.host)
        case .ip:
            let address = try ValueParsing.ip(text, option: option)
            let again = SocketAddress(ip: address.ipString, port: 0)
            fuzzCheck(again == address, "ip '\(text)' printed as \(address.ipString) does not read back")
        case .path:
            let path = try ValueParsing.path(text, option: option)
            fuzzCheck(
                path.hasPrefix("/") && path.utf8.allSatisfy { (0x21...0x7E).contains($0) },
                "path \(path.debugDescription) has a byte a request line must not carry")
        case .integer:
            let n = try ValueParsing.integer(text, option: option, in: 1...256)
            fuzzCheck((1...256).contains(n), "integer '\(text)' is \(n)")
        case .linger:
            switch try ValueParsing.linger(text, option: option) {
            case .off, .reset: break
            case .seconds(let n): fuzzCheck((1...3600).contains(n), "linger '\(text)' is \(n) s")
            }
        case .escapes:
            try checkEscapes(text)
        case .output:
            let destination = try ValueParsing.output(text, option: option)
            fuzzCheck(destination == .standardOutput || destination.path == text, "output '\(text)'")
        case .choice:
            let side: CloseSide = try ValueParsing.choice(text, option: option)
            fuzzCheck(text.trimmed.lowercased() == side.rawValue, "choice '\(text)' is \(side)")
        case .wallTime:
            // An instant read back from its own RFC 3339 text is itself, to the millisecond.
            let t = try ValueParsing.wallTime(text, option: option)
            let again = WallTime(parsing: t.description)
            fuzzCheck(
                again?.unixNanos == t.unixNanos - t.unixNanos % 1_000_000,
                "start-at '\(text)' is \(t), read back \(String(describing: again))")
        case .runID:
            let id = try ValueParsing.runID(text, option: option)
            fuzzCheck(
                id.utf8.allSatisfy { $0 < 0x80 && $0 != UInt8(ascii: ",") && $0 != UInt8(ascii: "/") && $0 > 0x20 },
                "run id '\(text)' could break a file name or a CSV cell")
        }
    }

    /// A host goes into the HTTP Host header as typed: no space, control byte or CR LF may end the header.
    private static func checkHeaderSafe(_ host: String) {
        fuzzCheck(
            host.utf8.allSatisfy { (0x21...0x7E).contains($0) },
            "host \(host.debugDescription) has a byte a header must not carry")
    }

    /// Decodes `text`; then encodes the bytes (printable ASCII as itself, `\` doubled, anything else as
    /// `\xHH` or its short escape) and checks that decoding gives the same bytes back.
    private static func checkEscapes(_ text: String) throws(ConfigError) {
        let bytes = try Escapes.decode(text, option: option)
        if !text.utf8.contains(UInt8(ascii: "\\")) {
            fuzzCheck(bytes == Array(text.utf8), "text without escapes changed: \(text.debugDescription)")
        }
        var encoded = ""
        for (i, b) in bytes.enumerated() {
            switch b {
            case UInt8(ascii: "\\"): encoded += "\\\\"
            case 13 where i % 2 == 0: encoded += "\\r"
            case 10 where i % 2 == 0: encoded += "\\n"
            case 9 where i % 2 == 0: encoded += "\\t"
            case 0 where i % 2 == 0: encoded += "\\0"
            case 0x20...0x7E: encoded.unicodeScalars.append(UnicodeScalar(b))
            default:
                let hex = String(b, radix: 16, uppercase: i % 3 == 0)
                encoded += "\\x" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        do {
            let again = try Escapes.decode(encoded, option: option)
            fuzzCheck(again == bytes, "\(encoded.debugDescription) decodes to \(again), not \(bytes)")
        } catch {
            fuzzCheck(false, "the encoding \(encoded.debugDescription) of \(bytes) does not decode: \(error)")
        }
    }
}
