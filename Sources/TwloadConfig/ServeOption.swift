import TwloadModel
import TwloadSystem

/// The options of `twload serve`, each declared once, in the order of the README's table.
public enum ServeOption {
    public static let listen = OptionSpec<SocketAddress>(
        "listen", syntax: "HOST:PORT", default: .required,
        help: "The address to listen on. Port `0` picks a free port, and the chosen address is printed on "
            + "stderr (`serving on ...`)."
    ) { text, option throws(ConfigError) in
        try ValueParsing.address(text, option: option, allowZeroPort: true).address
    }

    public static let close = OptionSpec<CloseSide>.choice(
        "close", default: .text("client"),
        help: "`server` closes first: after the reply, or right after accept when no request is awaited. "
            + "`client` waits for the client's FIN, then closes.")

    public static let linger = OptionSpec<LingerMode>(
        "linger", syntax: "off|0|N", default: .text("off"), completion: .words(["off", "0"]),
        help: "The linger mode of the accepted sockets: `off` (FIN), `0` (RST) or N seconds."
    ) { text, option throws(ConfigError) in try ValueParsing.linger(text, option: option) }

    public static let wireProtocol = OptionSpec<WireProtocol>.choice(
        "protocol", default: .text("tcp"),
        help: "`tcp` replies `ok\\n` to any data. `http` answers each request with `200` and body `ok\\n`, "
            + "keeping the connection alive up to `--max-requests`; the last response carries `Connection: close`.")

    public static let awaitRequest = FlagSpec(
        "await-request",
        help: "Applies to `--close server` with `tcp`. The server waits for data before it replies and closes. "
            + "Use it when clients `--send`, because closing with unread data sends an RST instead of a FIN. "
            + "`http` always waits for the request.")

    public static let hold = OptionSpec<Int64>(
        "hold", syntax: "D", default: .text("0", note: "no hold"),
        help: "Keep each connection for D after accept before the step that ends it, like a slow backend. "
            + "With `--close server` the server replies (when it awaits a request) and closes at D, or once "
            + "the request is in if that is later. With `--close client` it replies at D, so a client that "
            + "waits for the reply keeps the connection about D; a client that sends nothing is not held. "
            + "At most `1h`."
    ) { text, option throws(ConfigError) in try ValueParsing.hold(text, option: option) }

    public static let maxRequests = OptionSpec<Int>(
        "max-requests", syntax: "N", default: .described("1 with `--close server`, none with `--close client`"),
        help: "With `--protocol http`: the most requests answered on one connection (1–1,000,000), as nginx's "
            + "`keepalive_requests`. The last response carries `Connection: close` and the server closes first "
            + "after it. Without a limit the server answers every request until the client's FIN."
    ) { text, option throws(ConfigError) in try ValueParsing.integer(text, option: option, in: 1...1_000_000) }

    public static let keepAliveTimeout = OptionSpec<Int64>(
        "keepalive-timeout", syntax: "D", default: .none,
        help: "With `--protocol http`: how long a connection that has had a response may wait for its next "
            + "request before the server closes it first, without a response (1 ms to `1h`). Without it the "
            + "server waits as long as the client likes."
    ) { text, option throws(ConfigError) in try ValueParsing.keepAliveTimeout(text, option: option) }

    public static let duration = OptionSpec<Int64>(
        "duration", syntax: "D", default: .none,
        help: "Stop after this long. Without it, the server runs until SIGINT, SIGTERM or SIGQUIT."
    ) { text, option throws(ConfigError) in try ValueParsing.duration(text, option: option) }

    /// In the README's order.
    public static let all: [any AnyOptionSpec] = [
        listen, close, linger, wireProtocol, awaitRequest, hold, maxRequests, keepAliveTimeout, duration,
    ]

    /// A validated `twload serve` from its values (all valid; `--listen` given).
    public static func configuration(
        _ values: OptionValues, awaitRequest: Bool
    ) throws(ConfigError)
        -> ServeConfiguration
    {
        try values.checkValid(in: all)
        guard let address = values[listen] else { throw ConfigError(listen.flag, "is required") }
        let wire = try RunConfiguration.fixed(values, wireProtocol)
        if wire != .http {
            for spec in [maxRequests.name, keepAliveTimeout.name] where values.contains(spec) {
                throw ConfigError("--\(spec)", "applies to --protocol http only (tcp replies once per connection)")
            }
        }
        var config = ServeConfiguration(
            listen: address, close: try RunConfiguration.fixed(values, close),
            linger: try RunConfiguration.fixed(values, linger), wireProtocol: wire, awaitRequest: awaitRequest,
            holdNanos: try RunConfiguration.fixed(values, hold), durationNanos: values[duration])
        config.maxRequests = values[maxRequests]
        config.keepAliveTimeoutNanos = values[keepAliveTimeout] ?? 0
        return config
    }
}
