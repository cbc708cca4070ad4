import TwloadModel
import TwloadReport
import TwloadSystem

/// The options of `twload run`, shared by `check` and `lab`, each declared once, in the order of the README's
/// table. A profile's `run` section takes the names in `RunOption.all`.
public enum RunOption {
    public static let target = OptionSpec<Endpoint>(
        "target", syntax: "HOST:PORT", default: .described("none: built-in server"),
        help: "The server to connect to, as `HOST:PORT` or `[IPv6]:PORT`. The host is resolved once, at start."
    ) { text, option throws(ConfigError) in try ValueParsing.address(text, option: option) }

    public static let rate = OptionSpec<RateSpec>(
        "rate", syntax: "N|A..B|A,B,…", default: .requiredUnless("a profile sets `rate` or a `schedule`"),
        help: "New connections per second, summed over all threads. It may be fractional and accepts a `k` "
            + "suffix (`2k` = 2000). It must be more than 0 and at most 10,000,000. `A..B` with `--ramp D` ramps "
            + "linearly from A to B over D; `A,B,…` with `--step D` holds each rate for D (see "
            + "[Schedules](#schedules-on-the-command-line))."
    ) { text, option throws(ConfigError) in try ValueParsing.rateSpec(text, option: option) }

    public static let ramp = OptionSpec<Int64>(
        "ramp", syntax: "D", default: .none,
        help: "With `--rate A..B`: how long the linear ramp from A to B lasts; it sets the duration."
    ) { text, option throws(ConfigError) in try ValueParsing.duration(text, option: option) }

    public static let step = OptionSpec<Int64>(
        "step", syntax: "D", default: .none,
        help: "With `--rate A,B,…`: how long each rate is held; the duration is D × the number of rates."
    ) { text, option throws(ConfigError) in try ValueParsing.duration(text, option: option) }

    public static let duration = OptionSpec<Int64>(
        "duration", syntax: "D", default: .text("30s"),
        help: "How long attempts are scheduled. A drain of up to 1 s (plus `--hold`) follows (see "
            + "[Pacing](#open-loop-pacing))."
    ) { text, option throws(ConfigError) in try ValueParsing.duration(text, option: option) }

    public static let close = OptionSpec<CloseSide>.choice(
        "close", default: .text("client"),
        help: "Which side closes first. `client` means twload closes. `server` means twload waits for the "
            + "peer's FIN.")

    public static let linger = OptionSpec<LingerMode>(
        "linger", syntax: "off|0|N", default: .text("off"), completion: .words(["off", "0"]),
        help: "How twload closes its sockets. `off` sends a normal FIN. `0` sets SO_LINGER {1,0}, so close() "
            + "sends an RST and no TIME_WAIT is kept. `N` (1–3600) sets SO_LINGER {1,N}, and these closes run "
            + "off the event loop."
    ) { text, option throws(ConfigError) in try ValueParsing.linger(text, option: option) }

    public static let sourcePorts = OptionSpec<PortRange>(
        "source-ports", syntax: "LO-HI", default: .described("none (the kernel's `ip_local_port_range`)"),
        help: "A source port range for each socket (see [Source ports](#source-ports))."
    ) { text, option throws(ConfigError) in try ValueParsing.portRange(text, option: option) }

    public static let sourceAddr = OptionSpec<SocketAddress>(
        "source-addr", syntax: "IP", default: .described("none (the kernel chooses)"), repeatable: true,
        help: "A source address. Repeat the option to use several addresses in round-robin order; each one "
            + "adds a 4-tuple space. Every address must be in the same address family as the target."
    ) { text, option throws(ConfigError) in try ValueParsing.ip(text, option: option) }

    public static let concurrency = OptionSpec<Int>(
        "concurrency", syntax: "N", default: .none,
        help: "Closed loop instead of a rate: keep N connections in flight (1–1,000,000), split across threads, "
            + "and open the next as soon as one ends, like `-c N` of wrk and h2load: the highest rate the target "
            + "answers. Instead of `--rate`, for `--duration`. Each latency runs from its attempt's start, so a "
            + "slow server slows the load rather than showing as latency; `target_rate` and the lag columns are "
            + "empty and nothing is `missed` (see [Closed loop](#closed-loop))."
    ) { text, option throws(ConfigError) in try ValueParsing.integer(text, option: option, in: 1...1_000_000) }

    public static let engine = OptionSpec<ClientEngine>.choice(
        "engine", default: .text("epoll"),
        help: "How the client makes its socket calls: `epoll`, one system call per step, or `io_uring` "
            + "(experimental), which queues connect, send, recv and close in a ring and submits them in batches. "
            + "It takes one request per connection and `--linger` off or 0 (see [io_uring engine](#io_uring-engine)).")

    public static let maxOpen = OptionSpec<Int>(
        "max-open", syntax: "N", default: .described("derived from RLIMIT_NOFILE"),
        help: "A cap on open client connections (1–10,000,000), split evenly across threads. Attempts beyond "
            + "the cap count as `missed`."
    ) { text, option throws(ConfigError) in try ValueParsing.integer(text, option: option, in: 1...10_000_000) }

    public static let threads = OptionSpec<Int>(
        "threads", syntax: "N", default: .described("the number of online cores"),
        help: "Number of event-loop threads (1–256). Each thread takes an equal share of the rate."
    ) { text, option throws(ConfigError) in try ValueParsing.integer(text, option: option, in: 1...256) }

    public static let interval = OptionSpec<Int64>(
        "interval", syntax: "D", default: .text("1s"),
        help: "Length of one CSV row's interval. The minimum is 10 ms."
    ) { text, option throws(ConfigError) in try ValueParsing.interval(text, option: option) }

    public static let csv = OptionSpec<OutputDestination>(
        "csv", syntax: "PATH|-", default: .text("-", note: "stdout"), completion: .file(extensions: []),
        help: "Where the CSV goes. A file is created, or truncated if it exists."
    ) { text, option throws(ConfigError) in try ValueParsing.output(text, option: option) }

    public static let summaryJSON = OptionSpec<String>(
        "summary-json", syntax: "PATH", default: .none, completion: .file(extensions: ["json"]),
        help: "Also write the summary as JSON (see [JSON summary](#json-summary)): the configuration, kernel "
            + "settings, every metric, the predictions beside the measurements and each threshold's verdict. "
            + "With `check`, the prediction alone."
    ) { text, option throws(ConfigError) in try ValueParsing.file(text, option: option) }

    public static let wireProtocol = OptionSpec<WireProtocol>.choice(
        "protocol", default: .text("tcp"),
        help: "`tcp` sends the optional `--send` payload. `http` sends `GET` and reads the whole response "
            + "(Content-Length or chunked).")

    public static let send = OptionSpec<[UInt8]>(
        "send", syntax: "TEXT", default: .none,
        help: "A payload written after connect, for `tcp` only. The escapes `"
            + Escapes.list.joined(separator: " ") + "` are decoded; any other escape is an error."
    ) { text, option throws(ConfigError) in try Escapes.decode(text, option: option) }

    public static let requestsPerConnection = OptionSpec<Int>(
        "requests-per-connection", syntax: "N", default: .text("1"),
        help: "How many request/response exchanges each connection carries in turn (HTTP keep-alive), each "
            + "after the previous response; then the close side acts. `--rate` stays new connections per "
            + "second, so requests per second are rate × N. For `http`, and for `tcp` when a `--send` payload "
            + "is the request. A server may close first sooner (`Connection: close`, its request limit or idle "
            + "timeout): the exchanges done count, and the close is the server's (see [Keep-alive](#keep-alive))."
    ) { text, option throws(ConfigError) in try ValueParsing.integer(text, option: option, in: 1...1_000_000) }

    public static let think = OptionSpec<Int64>(
        "think", syntax: "D", default: .text("0", note: "at once"),
        help: "With `--requests-per-connection` 2 or more: the pause after each response before the next "
            + "request on the same connection, like a person reading a page (0, or 1 ms to `1h`). A server whose "
            + "idle timeout (nginx's `keepalive_timeout`) is shorter closes the connection first during the "
            + "pause, and that close is the server's. `--timeout` counts each request from its send, not the "
            + "pause. The drain grows by (N − 1) × D."
    ) { text, option throws(ConfigError) in try ValueParsing.hold(text, option: option) }

    public static let path = OptionSpec<String>(
        "path", syntax: "/PATH", default: .text("/"),
        help: "The request path for `--protocol http`. It must start with `/` and hold only visible ASCII "
            + "(percent-encode the rest)."
    ) { text, option throws(ConfigError) in try ValueParsing.path(text, option: option) }

    public static let connectTimeout = OptionSpec<Int64>(
        "connect-timeout", syntax: "D", default: .text("3s"),
        help: "How long a handshake may take before twload gives up on it."
    ) { text, option throws(ConfigError) in try ValueParsing.duration(text, option: option) }

    public static let timeout = OptionSpec<Int64>(
        "timeout", syntax: "D", default: .text("10s"),
        help: "How long a whole connection (handshake, exchange and close) may take before twload gives up "
            + "on it."
    ) { text, option throws(ConfigError) in try ValueParsing.duration(text, option: option) }

    public static let serverLinger = OptionSpec<LingerMode>(
        "server-linger", syntax: "off|0|N", default: .text("off"), completion: .words(["off", "0"]),
        help: "The linger mode of the built-in server's accepted sockets. It has no effect with `--target`."
    ) { text, option throws(ConfigError) in try ValueParsing.linger(text, option: option) }

    public static let serverMaxRequests = OptionSpec<Int>(
        "server-max-requests", syntax: "N",
        default: .described("1 with `--close server`, none with `--close client`"),
        help: "With `--protocol http`: the most requests the built-in server answers on one connection "
            + "(1–1,000,000), as nginx's `keepalive_requests`. Its last response carries `Connection: close` and "
            + "the server closes first after it (see [HTTP status](#http-status)). Not with `--target`."
    ) { text, option throws(ConfigError) in try ValueParsing.integer(text, option: option, in: 1...1_000_000) }

    public static let serverKeepAliveTimeout = OptionSpec<Int64>(
        "server-keepalive-timeout", syntax: "D", default: .none,
        help: "With `--protocol http`: how long the built-in server keeps a connection that has had a response "
            + "waiting for its next request before it closes it first (1 ms to `1h`). Not with `--target`."
    ) { text, option throws(ConfigError) in try ValueParsing.keepAliveTimeout(text, option: option) }

    public static let hold = OptionSpec<Int64>(
        "hold", syntax: "D", default: .text("0", note: "no hold"),
        help: "How long the built-in server keeps each connection after accept before its reply and close (with "
            + "`--close client`: before its reply), like a slow backend, so that about rate × D connections are "
            + "open at once. At most `1h`, and less than `--timeout`. The drain grows by D. It needs the built-in "
            + "server, and a client that waits for the server (see [Target](#target))."
    ) { text, option throws(ConfigError) in try ValueParsing.hold(text, option: option) }

    public static let portBinding = OptionSpec<PortBinding>.choice(
        "port-binding", default: .text("auto"),
        help: "How `--source-ports` is applied. `range` uses IP_LOCAL_PORT_RANGE. `bind` calls bind() "
            + "explicitly for each port. `auto` uses `range` when the kernel supports it and `bind` otherwise.")

    public static let expectStatus = OptionSpec<StatusSet>(
        "expect-status", syntax: "CODES", default: .text("200-399"),
        help: "The HTTP status codes that count as success with `--protocol http`, as codes and ranges: "
            + "`200,204,300-399`. A response with any other status counts as `failed` and `unexpected_status`."
    ) { text, option throws(ConfigError) in try ValueParsing.statusSet(text, option: option) }

    public static let agent = OptionSpec<AgentSlot>(
        "agent", syntax: "I/N", default: .text("0/1", note: "alone"),
        help: "Run agent I (from 0) of N that share one schedule: this process makes the arrivals k ≡ I (mod N) "
            + "of the schedule `--rate` (the whole fleet's rate) describes, so N agents together make exactly "
            + "the arrivals one process would. `target_rate`, `rate` and the prediction are this agent's share "
            + "(see [Past one host](#past-one-host))."
    ) { text, option throws(ConfigError) in try ValueParsing.agent(text, option: option) }

    public static let startAt = OptionSpec<WallTime>(
        "start-at", syntax: "TIME", default: .described("now"),
        help: "Start the schedule at this wall-clock time, RFC 3339 (`2026-12-01T23:00:00Z`) or Unix seconds: the "
            + "agents of a fleet share one. twload sleeps on the real-time clock until then, and from then on "
            + "runs on the monotonic clock, interval j starting at TIME + j·`--interval`. An agent that starts "
            + "late joins at the right phase and counts the arrivals it missed as `late_skipped`."
    ) { text, option throws(ConfigError) in try ValueParsing.wallTime(text, option: option) }

    public static let maxLate = OptionSpec<Int64>(
        "max-late", syntax: "D", default: .described("one `--interval`"),
        help: "How late after `--start-at` an agent may still join. Later than that, it records nothing and "
            + "exits with status 75."
    ) { text, option throws(ConfigError) in try ValueParsing.duration(text, option: option) }

    public static let runID = OptionSpec<String>(
        "run-id", syntax: "ID", default: .described("`run-` and the start time's Unix seconds"),
        help: "The run's name in `--out`'s files (the CSV's `run_id` column, the manifest): 1 to 64 letters, digits, "
            + "`.`, `_` or `-`. `twload merge` refuses to mix runs."
    ) { text, option throws(ConfigError) in try ValueParsing.runID(text, option: option) }

    public static let out = OptionSpec<String>(
        "out", syntax: "DIR", default: .none, completion: .file(extensions: []),
        help: "Write this agent's results into the folder DIR (created if missing) for `twload merge`: "
            + "`agent-I.csv` (the CSV plus `run_id`, `agent` and `interval_index`), `agent-I.json` (the JSON "
            + "summary plus the agent's manifest) and one HdrHistogram log per latency, `agent-I.NAME.hlog`. "
            + "Neither `--csv` nor `--summary-json` may be given with it."
    ) { text, option throws(ConfigError) in try ValueParsing.file(text, option: option) }

    /// Not a run option: `check` predicts for a fleet of N agents.
    public static let agents = OptionSpec<Int>(
        "agents", syntax: "N", default: .text("1"),
        help: "Predict for a fleet of N agents (`run --agent I/N`), each on its own host with these options: each "
            + "runs one N-th of the rate with its own port space. The fleet block gives the combined port budget "
            + "and when ports run out or connect() slows, per agent and in total."
    ) { text, option throws(ConfigError) in try ValueParsing.integer(text, option: option, in: 1...10_000) }

    /// The run options, in the README's order: what a profile's `run` section may set.
    public static let all: [any AnyOptionSpec] = [
        target, rate, duration, ramp, step, concurrency, close, linger, sourcePorts, sourceAddr, maxOpen, threads,
        engine, interval, csv,
        summaryJSON, wireProtocol, send, path, requestsPerConnection, think, expectStatus, connectTimeout, timeout,
        serverLinger, serverMaxRequests, serverKeepAliveTimeout, hold,
        portBinding, agent, startAt, maxLate, runID, out,
    ]

    /// The options a prediction reads (`Prediction.Inputs` and the preflight block: rate and duration,
    /// close and linger, the port space, the target's address, threads and the descriptor budget), and
    /// `--duration` for `check`'s verdict. `twload check` offers only these (and `--profile`); the rest
    /// change what a run records or sends, not what the port space does.
    public static let prediction: [any AnyOptionSpec] = [
        target, rate, duration, ramp, step, close, linger, sourcePorts, sourceAddr, maxOpen, threads, portBinding,
        hold,
    ]

    /// Not a profile key: the profile to start from (`run` and `check`; `lab` takes it as its argument).
    public static let profile = OptionSpec<String>(
        "profile", syntax: "FILE", default: .none, completion: .file(extensions: ["yaml", "yml"]),
        help: "A profile (see [TIME_WAIT lab](#time-wait-lab)): run options, a rate schedule and thresholds. "
            + "Options on the command line win; `--rate` or `--duration` replaces the profile's schedule."
    ) { text, _ in text }

    /// Thresholds from the command line; a profile has its own `thresholds` section.
    public static let failOn = OptionSpec<Threshold>(
        "fail-on", syntax: "EXPR", default: .none, repeatable: true,
        help: "A threshold checked at the end (repeatable), e.g. `eaddrnotavail == 0`, `connect_p99_us < 5000`, "
            + "`first_eaddrnotavail_s > 30`, `achieved_rate >= 0.99 * rate`. Any failure makes the exit status 1."
    ) { text, option throws(ConfigError) in
        try Threshold(parsing: text, knownMetrics: MetricTable.runMetricNames, option: option)
    }

    /// Drops the live status line and the summary; warnings, errors and the exit status stay.
    public static let quiet = FlagSpec(
        "quiet",
        help: "No live status line, no preflight block, no notes and no summary on stderr: only warnings, errors "
            + "and failed thresholds. The exit status is unchanged.")

    /// Shows the live status line even where it would be hidden.
    public static let progress = FlagSpec(
        "progress",
        help: "Show the live status line even when stderr is not a terminal, or when the CSV goes to the same "
            + "terminal. On a terminal the line is redrawn in place; otherwise each interval adds one plain "
            + "line (see [Live status](#live-status)).")

    /// `check`'s options: `--profile`, the options a prediction reads, and a NAT in the path (the lab's topology
    /// options but the router's conntrack timeout, which changes no prediction).
    public static let checkTable: [any AnyOptionSpec] =
        [profile] + prediction + [agents]
        + [LabOption.topology, LabOption.natAddresses, LabOption.natPorts, LabOption.natSpread] + [summaryJSON]

    /// The README's `twload run` table: the run options, then `--profile`, `--fail-on`, `--quiet` and
    /// `--progress`.
    public static let readmeTable: [any AnyOptionSpec] = all + [profile, failOn, quiet, progress]
}
