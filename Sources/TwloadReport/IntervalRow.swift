import TwloadCensus
import TwloadStats

/// TIME_WAIT gauges at the end of an interval; nil when not measured.
public struct TimeWaitCounts: Sendable, Equatable {
    /// TIME_WAIT sockets toward the target (remote = target).
    public var client: Int?
    /// TIME_WAIT sockets at the target (local = target), when the target is on this host.
    public var server: Int?
    /// Every TIME_WAIT socket in the network namespace.
    public var total: Int?
    /// Of `client` and `server`, the sockets that entered TIME_WAIT after the run started: this run's own.
    public var clientOfRun: Int?
    public var serverOfRun: Int?

    public init(
        client: Int? = nil, server: Int? = nil, total: Int? = nil, clientOfRun: Int? = nil, serverOfRun: Int? = nil
    ) {
        self.client = client
        self.server = server
        self.total = total
        self.clientOfRun = clientOfRun
        self.serverOfRun = serverOfRun
    }
}

/// One CSV row: all threads' samples for one interval, merged, plus the gauges read at its end.
public struct IntervalRow: Sendable {
    public var elapsedSeconds: Double
    public var unixMillis: Int64
    public var targetRate: Double?
    public var counters: IntervalCounters
    public var latency: LatencyHistograms
    public var open: Int
    /// Attempts due by the row's end that had not started (nor been missed) yet: how far the schedule is
    /// behind.
    public var backlog: Int
    public var timeWait: TimeWaitCounts
    /// Per-state census of the client side (sockets toward the target), when measured.
    public var clientStates: StateCounts?
    /// Per-state census of the server side, when the target is on this host and was measured.
    public var serverStates: StateCounts?
    /// TIME_WAIT counter deltas (recycled, overflow, expired) since the previous measured row.
    public var tcpDelta: TcpCounters?
    /// The built-in server's counts for the interval, when it runs.
    public var server: ServerCounters?
    /// The row ends the run (it may cover less than a full interval).
    public var isFinal: Bool
    /// A lab topology's router: its conntrack count and NAT ports now, and its statistics' change over the
    /// interval; nil outside a routed or NAT lab.
    public var router: ConntrackReading?

    public init(
        elapsedSeconds: Double, unixMillis: Int64, targetRate: Double?, counters: IntervalCounters,
        latency: LatencyHistograms, open: Int, timeWait: TimeWaitCounts, server: ServerCounters?,
        isFinal: Bool, clientStates: StateCounts? = nil, serverStates: StateCounts? = nil,
        tcpDelta: TcpCounters? = nil, backlog: Int = 0
    ) {
        self.backlog = backlog
        self.elapsedSeconds = elapsedSeconds
        self.unixMillis = unixMillis
        self.targetRate = targetRate
        self.counters = counters
        self.latency = latency
        self.open = open
        self.timeWait = timeWait
        self.server = server
        self.isFinal = isFinal
        self.clientStates = clientStates
        self.serverStates = serverStates
        self.tcpDelta = tcpDelta
    }
}
