import TwloadModel
import TwloadSystem

/// The options of `twload watch`, each declared once, in the order of the README's table. `--interval` and
/// `--csv` are the very options of `twload run`.
public enum WatchOption {
    public static let port = OptionSpec<UInt16>(
        "port", syntax: "P", default: .none,
        help: "Count the server side: sockets whose local port is P (`server_*` columns)."
    ) { text, option throws(ConfigError) in try ValueParsing.port(text, option: option) }

    public static let target = OptionSpec<SocketAddress>(
        "target", syntax: "HOST:PORT", default: .none,
        help: "Count the client side: sockets whose peer is HOST:PORT (`client_*` columns)."
    ) { text, option throws(ConfigError) in try ValueParsing.address(text, option: option).address }

    public static let interval = RunOption.interval

    public static let duration = OptionSpec<Int64>(
        "duration", syntax: "D", default: .none,
        help: "Stop after this long; without it, run until SIGINT, SIGTERM or SIGQUIT."
    ) { text, option throws(ConfigError) in try ValueParsing.duration(text, option: option) }

    public static let csv = RunOption.csv

    public static let startAt = OptionSpec<WallTime>(
        "start-at", syntax: "TIME", default: .described("now"),
        help: "Start at this wall-clock time (RFC 3339 or Unix seconds), as a fleet's agents given the same "
            + "`--start-at` and `--interval` do: row k ends at TIME + (k+1)·interval on their grid, where "
            + "`twload merge` joins the rows (its watch option)."
    ) { text, option throws(ConfigError) in try ValueParsing.wallTime(text, option: option) }

    /// In the README's order.
    public static let all: [any AnyOptionSpec] = [port, target, interval, duration, csv, startAt]

    /// A validated `twload watch` from its values.
    public static func configuration(_ values: OptionValues) throws(ConfigError) -> WatchConfiguration {
        try values.checkValid(in: all)
        return WatchConfiguration(
            port: values[port], target: values[target], intervalNanos: try RunConfiguration.fixed(values, interval),
            durationNanos: values[duration], csv: try RunConfiguration.fixed(values, csv), startAt: values[startAt])
    }
}

/// A validated `twload watch`.
public struct WatchConfiguration: Sendable {
    /// Server side: sockets whose local port is this.
    public var port: UInt16?
    /// Client side: sockets whose peer is this address and port.
    public var target: SocketAddress?
    public var intervalNanos: Int64
    public var durationNanos: Int64?
    public var csv: OutputDestination
    /// A fleet's shared start, or nil to start now.
    public var startAt: WallTime?

    public init(
        port: UInt16?, target: SocketAddress?, intervalNanos: Int64, durationNanos: Int64?, csv: OutputDestination,
        startAt: WallTime? = nil
    ) {
        self.port = port
        self.target = target
        self.intervalNanos = intervalNanos
        self.durationNanos = durationNanos
        self.csv = csv
        self.startAt = startAt
    }
}
