import TwloadModel
import TwloadReport
import TwloadSystem

/// The options of `twload run` as the user typed them. `RunConfiguration(parsing:)` validates them.
public struct RunOptionText: Sendable {
    public var target: String?
    public var rate: String?
    public var duration = "30s"
    public var close = "client"
    public var linger = "off"
    public var sourcePorts: String?
    public var sourceAddresses: [String] = []
    public var maxOpen: String?
    public var threads: String?
    public var interval = "1s"
    public var csv: String?
    public var wireProtocol = "tcp"
    public var send: String?
    public var path = "/"
    public var connectTimeout = "3s"
    public var timeout = "10s"
    public var serverLinger = "off"
    public var portBinding = "auto"
    /// `--fail-on` threshold expressions.
    public var failOn: [String] = []

    public init() {}
}

/// A validated `twload run`: every field is checked, so the engine never meets a bad value.
public struct RunConfiguration: Sendable {
    /// The external target, or nil to start the built-in server on 127.0.0.1.
    public var target: SocketAddress?
    /// The target's host as typed (for the HTTP Host header).
    public var targetHost: String?
    /// Attempts per second, summed over all threads.
    public var rate: Double
    public var durationNanos: Int64
    /// The rate over time: `--rate` for `--duration`, or a profile's stages.
    public var schedule: RateSchedule
    public var close: CloseSide
    public var linger: LingerMode
    public var sourcePorts: PortRange?
    public var sourceAddresses: [SocketAddress]
    /// Cap on concurrently open client connections; nil means derived from RLIMIT_NOFILE.
    public var maxOpen: Int?
    public var threads: Int
    public var intervalNanos: Int64
    /// CSV destination; nil means stdout.
    public var csvPath: String?
    public var wireProtocol: WireProtocol
    /// Raw payload for `--protocol tcp` (escapes decoded).
    public var payload: [UInt8]
    public var path: String
    public var connectTimeoutNanos: Int64
    /// Whole-connection timeout, from the scheduled start.
    public var timeoutNanos: Int64
    /// How the built-in server closes its sockets.
    public var serverLinger: LingerMode
    public var portBinding: PortBinding
    /// Capacity gates checked at the end; any failure makes the exit status 1.
    public var thresholds: [Threshold]

    /// Validates `text`; the first bad option is thrown as a `ConfigError` naming it.
    public init(parsing text: RunOptionText, defaultThreads: Int) throws(ConfigError) {
        guard let rateText = text.rate else { throw ConfigError("--rate", "is required (connections per second)") }
        rate = try ValueParsing.rate(rateText)
        durationNanos = try ValueParsing.duration(text.duration, option: "--duration")
        schedule = .constant(rate: rate, seconds: Double(durationNanos) / 1e9)
        close = try ValueParsing.choice(text.close, option: "--close")
        linger = try ValueParsing.linger(text.linger)
        serverLinger = try ValueParsing.linger(text.serverLinger, option: "--server-linger")
        sourcePorts = try text.sourcePorts.map { (s) throws(ConfigError) in try ValueParsing.portRange(s) }
        sourceAddresses = []
        for a in text.sourceAddresses {
            sourceAddresses.append(try ValueParsing.ip(a, option: "--source-addr"))
        }
        maxOpen = try text.maxOpen.map { (s) throws(ConfigError) in
            try ValueParsing.integer(s, option: "--max-open", in: 1...10_000_000)
        }
        threads = try text.threads.map { (s) throws(ConfigError) in
            try ValueParsing.integer(s, option: "--threads", in: 1...256)
        } ?? max(1, defaultThreads)
        intervalNanos = try ValueParsing.interval(text.interval)
        csvPath = (text.csv == nil || text.csv == "-") ? nil : text.csv
        if let p = csvPath, p.isEmpty { throw ConfigError("--csv", "expected a file path or - (got '')") }
        wireProtocol = try ValueParsing.choice(text.wireProtocol, option: "--protocol")
        payload = Escapes.decode(text.send ?? "")
        if wireProtocol == .http && text.send != nil {
            throw ConfigError("--send", "applies to --protocol tcp only; --protocol http sends a GET")
        }
        guard text.path.hasPrefix("/") else { throw ConfigError("--path", "must start with / (got '\(text.path)')") }
        path = text.path
        connectTimeoutNanos = try ValueParsing.duration(text.connectTimeout, option: "--connect-timeout")
        timeoutNanos = try ValueParsing.duration(text.timeout, option: "--timeout")
        portBinding = try ValueParsing.choice(text.portBinding, option: "--port-binding")
        thresholds = []
        for t in text.failOn { thresholds.append(try Threshold(parsing: t, knownMetrics: RunMetrics.names)) }
        if let t = text.target {
            let (address, host) = try ValueParsing.address(t, option: "--target")
            target = address
            targetHost = host
        }
        let family = target?.family ?? SocketAddress(ip: "127.0.0.1", port: 0)!.family
        for a in sourceAddresses where a.family != family {
            throw ConfigError("--source-addr", "\(a.ipString) is not the same address family as the target")
        }
        if threads > 1, let ports = sourcePorts, portBinding == .bind, ports.count < threads {
            throw ConfigError("--source-ports", "needs at least one port per thread with --port-binding bind")
        }
    }

    /// Attempts one thread makes per second.
    public var ratePerThread: Double { rate / Double(threads) }
}
