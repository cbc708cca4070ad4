import TwloadCensus
import TwloadStats

/// Everything the final summary needs, accumulated row by row.
public struct RunTotals: Sendable {
    public var counters = IntervalCounters()
    public var latency = LatencyHistograms()
    public var server: ServerCounters?
    /// Elapsed seconds at the end of the last row.
    public var elapsedSeconds = 0.0
    public var peakOpen = 0
    public var peakTimeWait: Int?
    public var peakTimeWaitClient: Int?
    public var peakTimeWaitServer: Int?
    /// The highest count of this run's own TIME_WAIT sockets (younger than the run) on each side.
    public var peakRunTimeWaitClient: Int?
    public var peakRunTimeWaitServer: Int?
    /// Every TIME_WAIT socket in the namespace when the run started (earlier runs' and others').
    public var timeWaitAtStart: Int?
    /// The highest `backlog` of any row.
    public var peakBacklog = 0
    /// Sums of the TcpExt counter deltas (TIME_WAIT, SYN retransmissions, listen overflows and drops).
    public var tcpDeltas = TcpCounters(expired: 0, recycled: 0, overflow: 0)
    /// TIME_WAIT 4-tuples taken over by tcp_tw_reuse over the run.
    public var timeWaitRecycled: Int { tcpDeltas.recycled }
    /// TIME_WAIT sockets tcp_max_tw_buckets destroyed over the run.
    public var timeWaitOverflow: Int { tcpDeltas.overflow }
    /// Packets of new connections (SYNs) the router's conntrack dropped over the run: the sum over rows of its
    /// `drop` deltas (which count each `insert_failed` too) and `early_drop` ones. nil when no router was
    /// observed (a run outside a routed or NAT lab); the explanation cites it when it is known.
    public var routerConntrackDrops: Int?
    /// Start of the first interval whose connect() call p99 exceeded 1 ms.
    public var firstSlowIntervalStart: Double?
    /// Within that interval, the first single connect() call over 1 ms.
    public var firstSlowCallSeconds: Double?
    /// Largest `established` of a full interval before connect() became slow.
    public var establishedBeforeSlow = 0
    /// `established` of the full intervals after connect() became slow.
    public var establishedAfterSlow: [Int] = []
    /// Sums of the lab router's conntrack statistics over the rows (`count` and `natPortsInUse` are the last
    /// row's); nil outside a routed or NAT lab.
    public var routerConntrack: ConntrackReading?
    /// The highest `ct_count` and `nat_ports_used` of any row.
    public var peakConntrackCount: Int?
    public var peakNatPortsUsed: Int?
    /// Per stage of a schedule with more than one rate (empty for a constant rate): the rows that started in it.
    public var stages: [StageTotals] = []
    /// Rows seen.
    public var rows = 0
    public let intervalSeconds: Double
    /// How long the schedule lasts: `achieved_rate` divides by it, not by the run with its drain.
    public let scheduledSeconds: Double

    /// connect() calls slower than this count as the kernel searching for a port.
    public static let slowConnectCallMicros: UInt64 = 1000

    public init(intervalSeconds: Double, scheduledSeconds: Double) {
        self.intervalSeconds = intervalSeconds
        self.scheduledSeconds = scheduledSeconds
    }

    public mutating func add(_ row: IntervalRow) {
        rows += 1
        addToStage(row)
        var c = row.counters
        let peak = c.peakOpen
        c.peakOpen = 0
        counters.merge(c)
        peakOpen = max(peakOpen, peak)
        latency.merge(row.latency)
        elapsedSeconds = row.elapsedSeconds
        if let tw = row.timeWait.total { peakTimeWait = max(peakTimeWait ?? 0, tw) }
        if let tw = row.timeWait.client { peakTimeWaitClient = max(peakTimeWaitClient ?? 0, tw) }
        if let tw = row.timeWait.server { peakTimeWaitServer = max(peakTimeWaitServer ?? 0, tw) }
        if let tw = row.timeWait.clientOfRun { peakRunTimeWaitClient = max(peakRunTimeWaitClient ?? 0, tw) }
        if let tw = row.timeWait.serverOfRun { peakRunTimeWaitServer = max(peakRunTimeWaitServer ?? 0, tw) }
        peakBacklog = max(peakBacklog, row.backlog)
        if let d = row.tcpDelta { tcpDeltas = tcpDeltas.adding(d) }
        if let r = row.router {
            let sums = routerConntrack.map { zip($0.stats, r.stats).map { $0 + $1 } } ?? r.stats
            routerConntrack = ConntrackReading(count: r.count, stats: sums, natPortsInUse: r.natPortsInUse)
            routerConntrackDrops = (routerConntrackDrops ?? 0) + r.stat("drop") + r.stat("early_drop")
            peakConntrackCount = max(peakConntrackCount ?? 0, r.count)
            if let n = r.natPortsInUse { peakNatPortsUsed = max(peakNatPortsUsed ?? 0, n) }
        }
        if let s = row.server {
            var total = server ?? ServerCounters()
            total.accepted += s.accepted
            total.activeCloses += s.activeCloses
            total.passiveCloses += s.passiveCloses
            total.resets += s.resets
            total.errors += s.errors
            total.requests += s.requests
            total.open = s.open
            server = total
        }
        let slow = (row.latency.connectCall.percentileOrNil(99) ?? 0) > Self.slowConnectCallMicros
        let becameSlow = slow && firstSlowIntervalStart == nil
        if becameSlow {
            firstSlowIntervalStart = max(0, row.elapsedSeconds - intervalSeconds)
            if row.counters.firstSlowConnectCallNanos >= 0 {
                firstSlowCallSeconds = Double(row.counters.firstSlowConnectCallNanos) / 1e9
            }
        }
        guard !row.isFinal else { return }
        if firstSlowIntervalStart == nil {
            establishedBeforeSlow = max(establishedBeforeSlow, row.counters.established)
        } else if !becameSlow {
            // The interval in which the slowdown began is part fast, part slow: left out of both.
            establishedAfterSlow.append(row.counters.established)
        }
    }

    /// The mean `established` of the full intervals after connect() became slow; nil when there were none.
    public var meanEstablishedAfterSlow: Double? {
        establishedAfterSlow.isEmpty
            ? nil : Double(establishedAfterSlow.reduce(0, +)) / Double(establishedAfterSlow.count)
    }

    /// `meanEstablishedAfterSlow` per second: the rate the run fell to once connect() became slow.
    public var collapsedRate: Double? { meanEstablishedAfterSlow.map { $0 / intervalSeconds } }

    /// The scheduled start, in seconds into the run, of the first attempt that hit `--connect-timeout`.
    public var firstConnectTimeoutSeconds: Double? {
        counters.firstConnectTimeoutNanos >= 0 ? Double(counters.firstConnectTimeoutNanos) / 1e9 : nil
    }

    /// Seconds into the run of the first EADDRNOTAVAIL, if any.
    public var firstEaddrnotavailSeconds: Double? {
        counters.firstEaddrnotavailNanos >= 0 ? Double(counters.firstEaddrnotavailNanos) / 1e9 : nil
    }

    /// Established connections per second of schedule: `established` ÷ the scheduled duration, or ÷ the
    /// part of it that ran when the run stopped early. The drain after the schedule is not counted, so a
    /// run that establishes every attempt on time achieves exactly its rate.
    public var achievedRate: Double {
        let seconds = min(scheduledSeconds, elapsedSeconds)
        return seconds > 0 ? Double(counters.established) / seconds : 0
    }

    /// Counts `row` in the stage it started in (the drain's rows in the last stage).
    mutating func addToStage(_ row: IntervalRow) {
        guard !stages.isEmpty else { return }
        let start = max(0, row.elapsedSeconds - intervalSeconds)
        var end = 0.0
        var index = stages.count - 1
        for (i, stage) in stages.enumerated() {
            end += stage.seconds
            if start < end - 1e-9 {
                index = i
                break
            }
        }
        stages[index].attempted += row.counters.attempted
        stages[index].established += row.counters.established
        stages[index].failed += row.counters.failed
        stages[index].rowSeconds += min(intervalSeconds, row.elapsedSeconds - start)
    }
}
