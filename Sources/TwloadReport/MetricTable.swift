import TwloadModel

/// Every figure twload reports, each declared once. The CSV's columns are the metrics with a cell, in this
/// order: the contract columns first (scripts rely on their names and order), then the extra ones. The run
/// metrics (thresholds, the JSON summary) are the metrics with a total. Events that never happened are
/// +infinity (so `first_eaddrnotavail_s > 30` holds when there was none).
public enum MetricTable {
    /// The CSV's contract columns, in order (a few of them are run metrics too).
    public static let contract: [Metric] = [
        .column("elapsed_s", .seconds, "End of the interval, measured from the start of the schedule (3 decimals).") {
            NumberText.fixed3($0.elapsedSeconds)
        },
        .column("unix_ms", .milliseconds, "Wall-clock time when the row was written (Unix epoch).") {
            String($0.unixMillis)
        },
        .column(
            "target_rate", .perSecond,
            "The rate the schedule asked for, averaged over the part of the row it covers (3 decimals): `--rate` "
                + "in every row of a constant run; a drain-only last row repeats the rate the schedule ended with. "
                + "Empty in a closed loop (`--concurrency`), which has no rate."
        ) { $0.targetRate.map(NumberText.decimals3) ?? "" },
        .counter("attempted", "connect() attempts started.") { $0.attempted },
        .counter("established", "Handshakes completed.") { $0.established },
        .counter("completed", "Exchanges finished and closed normally.") { $0.completed },
        .counter(
            "failed",
            "Attempts or connections that failed. Each is also counted under exactly one errno (`eaddrnotavail` … `other_errors`, `enetunreach`, `ehostunreach`) or as `unexpected_status`."
        ) { $0.failed },
        .counter(
            "missed",
            "Scheduled attempts skipped: more than 1 s late, over `--max-open`, or in the EMFILE back-off "
                + "(see [Pacing](#open-loop-pacing))."
        ) {
            $0.missed
        },
        .counter("eaddrnotavail", "EADDRNOTAVAIL: no free source port or address.") { $0.eaddrnotavail },
        .counter("eaddrinuse", "EADDRINUSE: with explicit bind(), the port is still held.") { $0.eaddrinuse },
        .counter("econnrefused", "ECONNREFUSED.") { $0.econnrefused },
        .counter("etimedout", "The kernel's ETIMEDOUT plus twload's own connect and exchange timeouts.") {
            $0.etimedout
        },
        .counter("econnreset", "ECONNRESET and EPIPE.") { $0.econnreset },
        .counter("emfile", "EMFILE and ENFILE (out of descriptors).") { $0.emfile },
        .counter("other_errors", "Any other errno, plus HTTP protocol errors.") { $0.otherErrors },
        .counter("active_closes", "Connections twload closed before it saw the peer's FIN.") { $0.activeCloses },
        .counter("passive_closes", "Connections where the peer's FIN arrived first.") { $0.passiveCloses },
        .column("open", .gauge, "Client connections open at the end of the interval.") { String($0.open) },
        .column(
            "tw_client", .gauge,
            "TIME_WAIT sockets toward the target (peer = target address and port), from the sock_diag census."
        ) { Metric.cell($0.timeWait.client) },
        .column(
            "tw_server", .gauge,
            "TIME_WAIT sockets at the target (local = target address and port). Empty when the target is not on "
                + "this host (its address is not local or nothing listens on its port here)."
        ) { Metric.cell($0.timeWait.server) },
        .column(
            "tw_total", .gauge, "Every TIME_WAIT socket in the network namespace, from `/proc/net/sockstat`."
        ) { Metric.cell($0.timeWait.total) },
        .latency("connect_p50_us", "Median time from scheduled start to completed handshake.") {
            $0.connect.percentileOrNil(50)
        },
        .latency("connect_p99_us", "p99 of the same.") { $0.connect.percentileOrNil(99) },
        .latency("connect_max_us", "Maximum of the same.") { $0.connect.maxOrNil },
        .latency(
            "connect_call_p99_us",
            "p99 of the time spent inside the connect() system call, which includes the kernel's source-port search."
        ) { $0.connectCall.percentileOrNil(99) },
        .latency("connect_call_max_us", "Maximum of the same.") { $0.connectCall.maxOrNil },
        .latency("lag_p99_us", "p99 of how late attempts started compared with the schedule.") {
            $0.lag.percentileOrNil(99)
        },
    ]

    /// The CSV's extra columns, after the contract ones.
    public static let extra: [Metric] =
        extraCounts + clientStates + serverStates + timeWaitCounters + routeErrors + responses + schedule + fleet
        + synCounters + router + exchanges

    /// Errno columns added after the others, so that earlier columns keep their positions.
    static let routeErrors: [Metric] = [
        .counter("enetunreach", "ENETUNREACH: no route to the target's network (e.g. its interface is down).") {
            $0.enetunreach
        },
        .counter("ehostunreach", "EHOSTUNREACH: no route to the target host.") { $0.ehostunreach },
    ]

    /// HTTP status classes and response times (issue 15), after the route errors.
    static let responses: [Metric] = [
        .counter("http_2xx", "Complete HTTP responses with a 2xx status (any response counts here, expected or not).") {
            $0.http2xx
        },
        .counter("http_3xx", "The same for 3xx.") { $0.http3xx },
        .counter("http_4xx", "The same for 4xx.") { $0.http4xx },
        .counter("http_5xx", "The same for 5xx.") { $0.http5xx },
        .counter(
            "unexpected_status",
            "HTTP responses whose status `--expect-status` does not list (default 200-399); each is also `failed`."
        ) { $0.unexpectedStatus },
        .latency(
            "response_p50_us",
            "Median time from scheduled start to the response's last byte (`http`; the first reply bytes for `tcp`)."
        ) { $0.response.percentileOrNil(50) },
        .latency("response_p99_us", "p99 of the same.") { $0.response.percentileOrNil(99) },
        .latency("response_max_us", "Maximum of the same.") { $0.response.maxOrNil },
        .latency("ttfb_p50_us", "Median time from scheduled start to the response's first byte.") {
            $0.firstByte.percentileOrNil(50)
        },
        .latency("ttfb_p99_us", "p99 of the same.") { $0.firstByte.percentileOrNil(99) },
        .latency("ttfb_max_us", "Maximum of the same.") { $0.firstByte.maxOrNil },
    ]

    /// How far the schedule is behind, and this run's own TIME_WAIT (issue 15).
    static let schedule: [Metric] = [
        .column(
            "backlog", .gauge,
            "Attempts due by the end of the interval that had not started yet: the schedule falling behind. "
                + "Attempts more than 1 s late become `missed`; those left when the schedule ends are `not_started`."
        ) { String($0.backlog) },
        .column(
            "tw_client_own", .gauge,
            "Of `tw_client`, the sockets that entered TIME_WAIT after this run started (read from their timers): "
                + "this run's own, without earlier runs' sockets. Empty without sock_diag."
        ) { Metric.cell($0.timeWait.clientOfRun) },
        .column("tw_server_own", .gauge, "The same of `tw_server`.") { Metric.cell($0.timeWait.serverOfRun) },
    ]

    /// Requests and responses (issue 19, keep-alive), after the router's columns.
    static let exchanges: [Metric] = [
        .counter(
            "requests",
            "Requests written in full (HTTP requests, or `--send` payloads): `--requests-per-connection` per "
                + "connection, fewer when the server closes first."
        ) { $0.requests },
        .counter(
            "responses",
            "Responses received: complete HTTP responses, or a `tcp` exchange's first reply bytes. The response "
                + "time columns are per response, each from its own request's start (the first from the schedule)."
        ) { $0.responses },
    ]

    /// A fleet's agents (issue 16), after the schedule's columns.
    static let fleet: [Metric] = [
        .counter(
            "late_skipped",
            "Attempts scheduled before this agent joined: it started after `--start-at` and skipped them to keep "
                + "the fleet's phase (see [Past one host](#past-one-host)). 0 for a run on its own."
        ) { $0.lateSkipped }
    ]

    static let extraCounts: [Metric] = [
        .counter("connect_timeouts", "Handshakes abandoned after `--connect-timeout`.") { $0.connectTimeouts },
        .counter("exchange_timeouts", "Connections abandoned after `--timeout`.") { $0.exchangeTimeouts },
        .counter("protocol_errors", "HTTP responses that were malformed or cut short.") { $0.protocolErrors },
        .latency("connect_call_p50_us", "Median time inside connect().") { $0.connectCall.percentileOrNil(50) },
        .latency("lag_max_us", "Maximum start lag.") { $0.lag.maxOrNil },
        .server("server_accepted", "Connections the built-in server accepted.") { $0.accepted },
        .server("server_active_closes", "Connections where the built-in server sent the first FIN.") {
            $0.activeCloses
        },
        .server("server_passive_closes", "Connections where the client's FIN reached the built-in server first.") {
            $0.passiveCloses
        },
        .server("server_resets", "Connections the client reset (for example with `--linger 0`).") { $0.resets },
    ]

    static let clientStates = Metric.states(
        "client",
        "Sockets toward the target per TCP state, in this order: "
            + CensusColumns.states.map { "`\($0.suffix)`" }.joined(separator: ", ") + "."
    ) { $0.clientStates }

    static let serverStates = Metric.states(
        "server", "The same eight states for the target's side, when it is on this host."
    ) { $0.serverStates }

    static let timeWaitCounters: [Metric] = CensusColumns.counters.map(counterMetric)

    /// The counters of unanswered SYNs (issue 17), after the fleet's columns.
    static let synCounters: [Metric] = CensusColumns.synCounters.map(counterMetric)

    /// A per-row delta of one of the namespace's TCP counters, and its sum over the run when it is a run metric.
    static func counterMetric(_ c: CensusColumns.Counter) -> Metric {
        let read = c.read
        let cell: @Sendable (IntervalRow) -> String = { Metric.cell($0.tcpDelta.map(read)) }
        var total: (@Sendable (RunFigures) -> Double?)?
        if c.isRunMetric { total = { Double(read($0.totals.tcpDeltas)) } }
        return Metric(c.name, .count, c.meaning, cell: cell, total: total)
    }

    /// The run metrics that have no CSV column.
    public static let runOnly: [Metric] = [
        .run(
            "rate", .perSecond,
            "The schedule's peak rate: `--rate`, or a profile schedule's highest. None in a closed loop "
                + "(`--concurrency`)."
        ) { $0.description.concurrency == nil ? $0.description.rate : nil },
        .run("duration_s", .seconds, "Seconds from the start of the schedule to the end of the last row.") {
            $0.totals.elapsedSeconds
        },
        .run(
            "target", .count,
            "Attempts the schedule asked for over the part that ran: `attempted` + `missed` + `not_started` + "
                + "`late_skipped`. `established >= 0.99 * target` says nearly every one connected."
        ) {
            let c = $0.totals.counters
            return Double(c.attempted + c.missed + c.notStarted + c.lateSkipped)
        },
        .run(
            "achieved_rate", .perSecond,
            "`established` ÷ the scheduled duration (the part that ran, if stopped early); the drain is not "
                + "counted, so a run that holds its rate achieves exactly `rate`."
        ) { $0.totals.achievedRate },
        .run(
            "unfinished", .count,
            "Connections still open when the drain ended, closed without a verdict. Not part of `failed`: gate "
                + "on `unfinished == 0` (the deploy-check profile does)."
        ) {
            Double($0.totals.counters.unfinished)
        },
        .run("peak_open", .gauge, "The highest `open` of any interval (at any moment within it).") {
            Double($0.totals.peakOpen)
        },
        .run("peak_tw_client", .gauge, "The highest `tw_client` of any row.") {
            $0.totals.peakTimeWaitClient.map { Double($0) }
        },
        .run("peak_tw_server", .gauge, "The highest `tw_server` of any row.") {
            $0.totals.peakTimeWaitServer.map { Double($0) }
        },
        .run(
            "peak_tw_total", .gauge,
            "The highest `tw_total` of any row: the whole namespace, other runs' sockets included."
        ) {
            $0.totals.peakTimeWait.map { Double($0) }
        },
        .run("tw_total_at_start", .gauge, "Every TIME_WAIT socket in the namespace when the run started.") {
            $0.totals.timeWaitAtStart.map { Double($0) }
        },
        .run("peak_tw_client_own", .gauge, "The highest `tw_client_own` of any row: this run's own TIME_WAIT peak.") {
            $0.totals.peakRunTimeWaitClient.map { Double($0) }
        },
        .run("peak_tw_server_own", .gauge, "The highest `tw_server_own` of any row.") {
            $0.totals.peakRunTimeWaitServer.map { Double($0) }
        },
        .run("peak_backlog", .gauge, "The highest `backlog` of any row.") { Double($0.totals.peakBacklog) },
        .run(
            "not_started", .count,
            "Attempts the schedule asked for that never started because the schedule ended while they were "
                + "more than 20 ms late. Not in any row's `missed`."
        ) { Double($0.totals.counters.notStarted) },
        .run(
            "first_eaddrnotavail_s", .seconds,
            "Seconds into the run of the first EADDRNOTAVAIL; +∞ when there was none."
        ) { $0.totals.firstEaddrnotavailSeconds ?? .infinity },
        .run(
            "first_connect_timeout_s", .seconds,
            "The scheduled start of the first attempt that hit `--connect-timeout` (its SYNs went unanswered); +∞ "
                + "when none did. Where a NAT, firewall or full server began dropping SYNs."
        ) { $0.totals.firstConnectTimeoutSeconds ?? .infinity },
        .run(
            "first_slow_connect_s", .seconds,
            "Start of the first interval whose connect() call p99 exceeded 1 ms; +∞ when there was none. None "
                + "with `--engine io_uring`, which makes no connect() call of its own."
        ) { $0.description.timesConnectCalls ? $0.totals.firstSlowIntervalStart ?? .infinity : nil },
        .run(
            "established_before_slow", .count,
            "The largest `established` of a full interval before connect() became slow. None with `--engine "
                + "io_uring`."
        ) { $0.description.timesConnectCalls ? Double($0.totals.establishedBeforeSlow) : nil },
        .run(
            "established_after_slow", .count,
            "The mean `established` of the full intervals after connect() became slow; no value when there were none."
        ) { $0.totals.meanEstablishedAfterSlow },
        .run(
            "predicted_first_eaddrnotavail_s", .seconds,
            "The preflight's prediction of `first_eaddrnotavail_s`; +∞ for none."
        ) { $0.description.prediction.map { $0.firstEaddrnotavailSeconds ?? .infinity } },
        .run(
            "predicted_nat_exhaustion_s", .seconds,
            "When a source NAT in the path runs out of tuples (NAT addresses × ports ÷ rate, once more connections "
                + "are open at once than tuples); +∞ for never; no value without a NAT (the lab's `nat` topology)."
        ) { $0.description.nat.map { $0.exhaustionSeconds ?? .infinity } },
        .run(
            "predicted_slow_connect_s", .seconds, "The preflight's prediction of `first_slow_connect_s`; +∞ for never."
        ) {
            $0.description.prediction.map { $0.slowConnectSeconds ?? .infinity }
        },
        .run(
            "collapsed_rate", .perSecond,
            "`established_after_slow` per second: the rate the run fell to once connect() became slow."
        ) { $0.totals.collapsedRate },
        .run(
            "predicted_collapsed_rate", .perSecond,
            "The preflight's prediction of `collapsed_rate`; no value when it predicts no collapse."
        ) { $0.description.prediction?.collapsedRate },
        .run(
            "predicted_sustainable_rate", .perSecond,
            "Connections per second the port space sustains without reuse: ports × source addresses ÷ 60 s."
        ) { $0.description.prediction?.sustainableRate },
        .run(
            "predicted_steady_tw_client", .gauge,
            "The predicted steady client TIME_WAIT: min(rate × 60, ports, `tcp_max_tw_buckets`)."
        ) { $0.description.prediction.map { Double($0.steadyClientTimeWait) } },
        .run(
            "predicted_steady_tw_server", .gauge,
            "The predicted steady server TIME_WAIT: min(rate × 60, `tcp_max_tw_buckets`)."
        ) { $0.description.prediction.map { Double($0.steadyServerTimeWait) } },
    ]

    /// Every metric: the CSV's columns in order, then the run-only metrics.
    public static let all: [Metric] = contract + extra + runOnly + routerPeaks

    /// The names a threshold may use.
    public static let runMetricNames: Set<String> = names(ofRunMetricsIn: all)

    /// The run metrics' names in `metrics`.
    public static func names(ofRunMetricsIn metrics: [Metric]) -> Set<String> {
        Set(metrics.filter { $0.total != nil }.map(\.name))
    }

    /// The run metrics' values; a metric the run could not measure is absent.
    public static func runValues(_ figures: RunFigures, metrics: [Metric] = all) -> [String: Double] {
        var values: [String: Double] = [:]
        for m in metrics {
            if let total = m.total, let v = total(figures) { values[m.name] = v }
        }
        return values
    }
}
