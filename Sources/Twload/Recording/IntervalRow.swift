/// TIME_WAIT gauges at the end of an interval; nil when not measured.
public struct TimeWaitCounts: Sendable, Equatable {
    /// TIME_WAIT sockets toward the target (remote = target).
    public var client: Int?
    /// TIME_WAIT sockets at the target (local = target), when the target is on this host.
    public var server: Int?
    /// Every TIME_WAIT socket in the network namespace.
    public var total: Int?

    public init(client: Int? = nil, server: Int? = nil, total: Int? = nil) {
        self.client = client
        self.server = server
        self.total = total
    }
}

/// One CSV row: all threads' samples for one interval, merged, plus the gauges read at its end.
public struct IntervalRow: Sendable {
    public var elapsedSeconds: Double
    public var unixMillis: Int64
    public var targetRate: Double
    public var counters: IntervalCounters
    public var latency: LatencyHistograms
    public var open: Int
    public var timeWait: TimeWaitCounts
    /// The built-in server's counts for the interval, when it runs.
    public var server: ServerCounters?
    /// The row ends the run (it may cover less than a full interval).
    public var isFinal: Bool
}
