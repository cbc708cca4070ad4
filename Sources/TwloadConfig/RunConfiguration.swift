import Glibc
import TwloadModel
import TwloadSystem

/// A validated `twload run`: every field is checked, so the engine never meets a bad value. The schedule is
/// the one source of the rate and the duration.
public struct RunConfiguration: Sendable {
    /// The external target, or nil to start the built-in server on 127.0.0.1.
    public var target: Endpoint?
    /// The rate over time: `--rate` for `--duration`, or a profile's stages.
    public var schedule: RateSchedule
    public var close: CloseSide
    public var linger: LingerMode
    public var sourcePorts: PortRange?
    public var portBinding: PortBinding
    public var sourceAddresses: [SocketAddress]
    /// Cap on concurrently open client connections; nil means derived from RLIMIT_NOFILE.
    public var maxOpen: Int?
    public var threads: Int
    /// This process's share of the schedule (`--agent I/N`).
    public var agent: AgentSlot
    public var intervalNanos: Int64
    /// The fleet's shared start (`--start-at`), or nil to start now.
    public var startAt: WallTime?
    /// How late after `startAt` this agent may still join (`--max-late`; default one interval).
    public var maxLateNanos: Int64
    /// The run's name in `--out`'s files, when given (`--run-id`).
    public var runID: String?
    /// The folder for this agent's files (`--out`), which replaces `csv` and `summaryJSON`.
    public var outDirectory: String?
    public var csv: OutputDestination
    /// Where the JSON summary goes, if anywhere.
    public var summaryJSON: String?
    /// Every run option's text, given or default (nil: neither), in declaration order: the JSON summary's
    /// configuration, as the user wrote it.
    public var optionTexts: [(spec: any AnyOptionSpec, texts: [String]?)]
    public var wireProtocol: WireProtocol
    /// Raw payload for `--protocol tcp` (escapes decoded).
    public var payload: [UInt8]
    /// Request/response exchanges per connection (`--requests-per-connection`).
    public var requestsPerConnection: Int
    /// Closed loop (`--concurrency`): the connections kept in flight; the schedule then only gives the
    /// duration (its rate is 0). nil: open loop at the schedule's rate.
    public var concurrency: Int?
    /// How the client makes its socket calls (`--engine`).
    public var engine: ClientEngine
    /// The pause after each response before the next request on the connection (`--think`; 0: none).
    public var thinkNanos: Int64
    public var path: String
    /// The status codes that count as success with `--protocol http`.
    public var expectedStatus: StatusSet
    public var connectTimeoutNanos: Int64
    /// Whole-connection timeout, from the scheduled start.
    public var timeoutNanos: Int64
    /// How the built-in server closes its sockets.
    public var serverLinger: LingerMode
    /// http: the most requests the built-in server answers on one connection (`--server-max-requests`); nil:
    /// its default (1 under `--close server`, no limit under `--close client`).
    public var serverMaxRequests: Int?
    /// http: how long the built-in server keeps an idle kept-alive connection (`--server-keepalive-timeout`;
    /// 0: no limit).
    public var serverKeepAliveTimeoutNanos: Int64
    /// How long the built-in server holds each connection (`--hold`; 0: no hold, always 0 with a target).
    public var holdNanos: Int64
    /// Capacity gates checked at the end; any failure makes the exit status 1.
    public var thresholds: [Threshold]

    /// A run of `values` (all valid) on `schedule`. The first value that does not fit the others is thrown
    /// as a `ConfigError` naming its option.
    public init(
        _ values: OptionValues, schedule: RateSchedule, thresholds: [Threshold], defaultThreads: Int
    ) throws(ConfigError) {
        try Self.checkCombination(values, defaultThreads: defaultThreads)
        self.schedule = schedule
        self.thresholds = thresholds
        target = values[RunOption.target]
        close = try Self.fixed(values, RunOption.close)
        linger = try Self.fixed(values, RunOption.linger)
        sourcePorts = values[RunOption.sourcePorts]
        portBinding = try Self.fixed(values, RunOption.portBinding)
        sourceAddresses = values.list(RunOption.sourceAddr)
        maxOpen = values[RunOption.maxOpen]
        threads = values[RunOption.threads] ?? max(1, defaultThreads)
        agent = try Self.fixed(values, RunOption.agent)
        intervalNanos = try Self.fixed(values, RunOption.interval)
        startAt = values[RunOption.startAt]
        maxLateNanos = values[RunOption.maxLate] ?? intervalNanos
        runID = values[RunOption.runID]
        outDirectory = values[RunOption.out]
        csv = try Self.fixed(values, RunOption.csv)
        summaryJSON = values[RunOption.summaryJSON]
        optionTexts = RunOption.all.map { ($0, $0.texts(in: values)) }
        wireProtocol = try Self.fixed(values, RunOption.wireProtocol)
        payload = values[RunOption.send] ?? []
        requestsPerConnection = try Self.fixed(values, RunOption.requestsPerConnection)
        concurrency = values[RunOption.concurrency]
        engine = try Self.fixed(values, RunOption.engine)
        thinkNanos = try Self.fixed(values, RunOption.think)
        path = try Self.fixed(values, RunOption.path)
        expectedStatus = try Self.fixed(values, RunOption.expectStatus)
        connectTimeoutNanos = try Self.fixed(values, RunOption.connectTimeout)
        timeoutNanos = try Self.fixed(values, RunOption.timeout)
        serverLinger = try Self.fixed(values, RunOption.serverLinger)
        serverMaxRequests = values[RunOption.serverMaxRequests]
        serverKeepAliveTimeoutNanos = values[RunOption.serverKeepAliveTimeout] ?? 0
        holdNanos = try Self.fixed(values, RunOption.hold)
    }

    /// A run from the command line alone: `--rate` for `--duration`, with `--fail-on` thresholds.
    public init(_ values: OptionValues, defaultThreads: Int) throws(ConfigError) {
        try values.checkValid(in: RunOption.readmeTable)
        try self.init(
            values, schedule: Self.schedule(values, stages: [], commandLine: values),
            thresholds: values.list(RunOption.failOn), defaultThreads: defaultThreads)
    }

    /// The run's one schedule: a profile's `stages` unless the command line gives `--rate` or `--duration`;
    /// otherwise the rate (given, or the stages' peak) for the duration (given, or its default).
    static func schedule(
        _ values: OptionValues, stages: [RateSchedule.Stage], commandLine: OptionValues
    )
        throws(ConfigError) -> RateSchedule
    {
        if values[RunOption.concurrency] != nil { return try closedLoopSchedule(values, stages: stages) }
        if !stages.isEmpty && !commandLine.contains(RunOption.rate.name)
            && !commandLine.contains(RunOption.duration.name) && !commandLine.contains(RunOption.ramp.name)
            && !commandLine.contains(RunOption.step.name)
        {
            return RateSchedule(stages: stages)
        }
        let peak = stages.isEmpty ? nil : RateSchedule(stages: stages).peakRate
        guard let rate = values[RunOption.rate] ?? peak.map({ RateSpec.constant($0) }) else {
            throw ConfigError("--rate", "is required (connections per second)")
        }
        return try commandLineSchedule(rate, values)
    }

    /// A closed loop's schedule: no rate (0), only `--duration`. A rate, ramp, steps or a profile's schedule
    /// beside `--concurrency` is an error naming the one to remove.
    static func closedLoopSchedule(
        _ values: OptionValues, stages: [RateSchedule.Stage]
    ) throws(ConfigError) -> RateSchedule {
        for spec in [RunOption.rate.name, RunOption.ramp.name, RunOption.step.name] where values.contains(spec) {
            throw ConfigError(
                "--\(spec)",
                "conflicts with --concurrency, which keeps N connections in flight instead of following a rate; "
                    + "remove one of them")
        }
        if !stages.isEmpty {
            throw ConfigError(
                "--concurrency", "conflicts with the profile's schedule, which sets a rate; remove one of them")
        }
        if let agent = values[RunOption.agent], agent.count > 1 {
            throw ConfigError("--concurrency", "runs on one host; a fleet (--agent I/N) shares an open-loop --rate")
        }
        return .constant(rate: 0, seconds: Double(try fixed(values, RunOption.duration)) / 1e9)
    }

    /// The schedule `--rate` describes: constant for `--duration`, a ramp over `--ramp`, or stages of
    /// `--step` each. A ramp or stages set the duration, so `--duration` beside them is an error, as is a
    /// `--ramp` or `--step` that its rate cannot use.
    static func commandLineSchedule(_ rate: RateSpec, _ values: OptionValues) throws(ConfigError) -> RateSchedule {
        let ramp = values[RunOption.ramp]
        let step = values[RunOption.step]
        switch rate {
        case .constant(let r):
            if ramp != nil {
                throw ConfigError("--ramp", "needs a rate range to ramp across, such as --rate 1000..20000")
            }
            if step != nil { throw ConfigError("--step", "needs rates to step through, such as --rate 1000,2000,4000") }
            return .constant(rate: r, seconds: Double(try fixed(values, RunOption.duration)) / 1e9)
        case .ramp(let from, let to):
            if step != nil { throw ConfigError("--step", "applies to --rate A,B,…; a range A..B takes --ramp D") }
            guard let ramp else {
                throw ConfigError(
                    "--rate",
                    "a range \(NumberText.compact(from))..\(NumberText.compact(to)) needs --ramp D (how long the ramp lasts)"
                )
            }
            if values.contains(RunOption.duration.name) {
                throw ConfigError("--duration", "conflicts with --ramp, which sets the duration; remove one of them")
            }
            return RateSchedule(stages: [RateSchedule.Stage(from: from, to: to, seconds: Double(ramp) / 1e9)])
        case .steps(let rates):
            if ramp != nil { throw ConfigError("--ramp", "applies to --rate A..B; stages A,B,… take --step D") }
            guard let step else {
                throw ConfigError(
                    "--rate",
                    "stages \(rates.map { NumberText.compact($0) }.joined(separator: ",")) need --step D (how long each is held)"
                )
            }
            if values.contains(RunOption.duration.name) {
                throw ConfigError("--duration", "conflicts with --step, which sets the duration; remove one of them")
            }
            let seconds = Double(step) / 1e9
            guard seconds * Double(rates.count) <= RateSchedule.maximumSeconds else {
                throw ConfigError("--step", "makes the schedule longer than 8784h (366 days)")
            }
            return RateSchedule(stages: rates.map { RateSchedule.Stage(from: $0, to: $0, seconds: seconds) })
        }
    }

    /// The value given for `spec`, else its default (declared as text and read by the same parser).
    static func fixed<V>(_ values: OptionValues, _ spec: OptionSpec<V>) throws(ConfigError) -> V {
        guard let v = values.value(spec) else { throw ConfigError(spec.flag, "has no value and no default") }
        return v
    }

    /// The checks that involve more than one option, in a fixed order; the error names the option to change.
    static func checkCombination(_ values: OptionValues, defaultThreads: Int) throws(ConfigError) {
        if values.value(RunOption.wireProtocol) == .http && values[RunOption.send] != nil {
            throw ConfigError("--send", "applies to --protocol tcp only; --protocol http sends a GET")
        }
        if values.value(RunOption.wireProtocol) != .http && values[RunOption.expectStatus] != nil {
            throw ConfigError("--expect-status", "applies to --protocol http only")
        }
        if let n = values[RunOption.requestsPerConnection], n > 1, values.value(RunOption.wireProtocol) != .http,
            values[RunOption.send] == nil
        {
            throw ConfigError(
                "--requests-per-connection",
                "needs a request to repeat: --protocol http, or --send with --protocol tcp")
        }
        if let think = values[RunOption.think], think > 0, values.value(RunOption.requestsPerConnection) ?? 1 < 2 {
            throw ConfigError(
                "--think",
                "pauses between the requests of one connection, so it needs --requests-per-connection 2 or more")
        }
        if values[RunOption.out] != nil {
            for other in [RunOption.csv.name, RunOption.summaryJSON.name] where values.contains(other) {
                throw ConfigError(
                    "--\(other)", "cannot be combined with --out, which writes agent-I.csv and agent-I.json itself")
            }
        }
        try checkHold(values)
        try checkEngine(values)
        try checkServerKeepAlive(values)
        let family = values[RunOption.target]?.address.family ?? AF_INET
        for a in values.list(RunOption.sourceAddr) where a.family != family {
            throw ConfigError("--source-addr", "\(a.ipString) is not the same address family as the target")
        }
        let threads = values[RunOption.threads] ?? max(1, defaultThreads)
        if threads > 1, let ports = values[RunOption.sourcePorts], values.value(RunOption.portBinding) == .bind,
            ports.count < threads
        {
            throw ConfigError("--source-ports", "needs at least one port per thread with --port-binding bind")
        }
    }

    /// `--engine io_uring` takes one request per connection (no keep-alive, so no `--think`) and a close
    /// that never blocks (`--linger` off or 0).
    static func checkEngine(_ values: OptionValues) throws(ConfigError) {
        guard values.value(RunOption.engine) == .ioUring else { return }
        if let n = values[RunOption.requestsPerConnection], n > 1 {
            throw ConfigError(
                "--requests-per-connection",
                "needs --engine epoll: the io_uring engine sends one request per connection")
        }
        if case .seconds = values.value(RunOption.linger) {
            throw ConfigError(
                "--linger",
                "N > 0 needs --engine epoll, whose closes wait on their own thread; with io_uring use off or 0")
        }
    }

    /// `--server-max-requests` and `--server-keepalive-timeout` shape the built-in server's http keep-alive:
    /// they need that server and `--protocol http`.
    static func checkServerKeepAlive(_ values: OptionValues) throws(ConfigError) {
        for spec in [RunOption.serverMaxRequests.name, RunOption.serverKeepAliveTimeout.name]
        where values.contains(spec) {
            if values[RunOption.target] != nil {
                throw ConfigError(
                    "--\(spec)",
                    "applies to the built-in server; an external --target keeps its connections alive as it is "
                        + "configured, so leave it out with --target")
            }
            if values.value(RunOption.wireProtocol) != .http {
                throw ConfigError("--\(spec)", "applies to --protocol http only (tcp replies once per connection)")
            }
        }
    }

    /// `--hold` holds the built-in server's connections: it needs that server, a connection that waits for
    /// the server, and a `--timeout` that outlasts it.
    static func checkHold(_ values: OptionValues) throws(ConfigError) {
        guard let hold = values[RunOption.hold], hold > 0 else { return }
        if values[RunOption.target] != nil {
            throw ConfigError(
                "--hold",
                "holds the built-in server's connections; an external --target decides itself how long it keeps "
                    + "them, so leave --hold out with --target")
        }
        if values.value(RunOption.close) == .client && values.value(RunOption.wireProtocol) == .tcp
            && values[RunOption.send] == nil
        {
            throw ConfigError(
                "--hold",
                "cannot lengthen a connection with --close client and --protocol tcp and no --send: twload closes "
                    + "right after connect, with nothing to wait for; add --send (the server then holds its reply) "
                    + "or use --close server")
        }
        if let timeout = values.value(RunOption.timeout), hold >= timeout {
            let holdText = values.texts(RunOption.hold)?.last ?? ""
            let timeoutText = values.texts(RunOption.timeout)?.last ?? ""
            throw ConfigError(
                "--hold",
                "\(holdText) is not shorter than --timeout \(timeoutText), so every connection would time out; "
                    + "raise --timeout")
        }
    }
}
