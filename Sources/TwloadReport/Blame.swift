import TwloadStats

/// The side the summary's explanation blames for what limited the run: this host's source ports, something
/// on the path between this host and the target, or the server. The JSON summary carries it as `limited_by`.
public enum Blame: String, Sendable, Equatable {
    /// This host ran out of source ports: EADDRNOTAVAIL, or the even half of the range held in TIME_WAIT.
    case hostPorts = "host_ports"
    /// A NAT, load balancer, firewall or conntrack table dropped or delayed SYNs while this host's ports
    /// were free: connect timeouts and SYN retransmissions.
    case middlebox
    /// The server refused or reset connections, or its accept queue overflowed.
    case server
}

/// What a run's counts say about each side, beside this host's ports (whose exhaustion `SummaryReport.why`
/// looks at first): the figures the middlebox and server explanations cite, and the tests that decide
/// whether they are strong enough to blame anyone.
struct BlameEvidence: Sendable {
    /// twload's connect timeouts plus the kernel's ETIMEDOUT outside the exchange (a connect() the kernel gave
    /// up on after its SYN retries): SYNs that were never answered.
    var connectTimeouts: Int
    /// TcpExtTCPSynRetrans over the run (the whole network namespace's).
    var synRetrans: Int
    var refused: Int
    var reset: Int
    /// TcpExtListenOverflows over the run, when the target's listener is in the namespace the counters
    /// come from; nil otherwise (another host's or namespace's overflows are not seen here).
    var listenOverflows: Int?
    /// TcpExtListenDrops over the run (overflows included), under the same condition.
    var listenDrops: Int?
    /// Connect latency from schedule, p99, in microseconds.
    var connectP99Micros: UInt64?
    /// The client's peak TIME_WAIT toward the target, and the source ports it draws on.
    var clientTimeWait: Int?
    var portBudget: Int?
    var eaddrnotavail: Int
    /// TIME_WAIT reuse applies (loopback with tcp_tw_reuse=2, or tcp_tw_reuse=1): ports in TIME_WAIT are
    /// taken over, so they do not run out.
    var reuseApplies: Bool
    var routerConntrackDrops: Int?

    /// A connect that waited this long has most likely waited for a retransmitted SYN: the first
    /// retransmission leaves 1 s after the SYN (TCP_TIMEOUT_INIT), and 0.1 s is left for the histogram's
    /// precision and the schedule's lag.
    static let retransmittedSynMicros: UInt64 = 900_000

    init(_ t: RunTotals, _ d: RunDescription) {
        let c = t.counters
        let kernelTimeouts = max(0, c.etimedout - c.connectTimeouts - c.exchangeTimeouts)
        connectTimeouts = c.connectTimeouts + kernelTimeouts
        synRetrans = t.tcpDeltas.synRetrans
        refused = c.econnrefused
        reset = c.econnreset
        listenOverflows = Self.seesServerListener(d) ? t.tcpDeltas.listenOverflows : nil
        listenDrops = Self.seesServerListener(d) ? t.tcpDeltas.listenDrops : nil
        connectP99Micros = t.latency.connect.percentileOrNil(99)
        clientTimeWait = t.peakTimeWaitClient
        portBudget = d.portsPerAddress.map { $0 * max(1, d.sourceAddressCount) }
        eaddrnotavail = c.eaddrnotavail
        reuseApplies = d.prediction?.reuseApplies == true
        routerConntrackDrops = t.routerConntrackDrops
    }

    /// The listen counters (TcpExtListenOverflows, ListenDrops) are the server's only when its listener is
    /// in the network namespace twload reads them from: the built-in server's is. An external target's
    /// listener, even on this host, may be in another namespace or share the counters with other listeners,
    /// so its overflows are not blamed on it.
    static func seesServerListener(_ d: RunDescription) -> Bool { d.builtinServer }

    /// Refusals and resets: failures the server (or whatever answers in its place) chose.
    var serverFailures: Int { refused + reset }

    /// The server's listener dropped handshakes (its accept queue overflowed, or it dropped SYNs), as
    /// counted in its own namespace.
    var listenOverflowed: Bool { (listenOverflows ?? 0) > 0 || (listenDrops ?? 0) > 0 }

    /// This host's ports were free: no EADDRNOTAVAIL, and the client's TIME_WAIT (when measured, against a
    /// known budget) below half the budget, so that not even the half connect() tries first was held; or
    /// TIME_WAIT reuse applies, so that held ports are taken over.
    var portsFree: Bool {
        guard eaddrnotavail == 0 else { return false }
        guard !reuseApplies, let tw = clientTimeWait, let budget = portBudget else { return true }
        return tw * 2 < budget
    }

    /// SYN retransmissions slowed connections down enough to matter: some were counted and the slowest 1% of
    /// connects waited about as long as a retransmitted SYN does. A stray retransmission in a run whose
    /// connect p99 stays small is no evidence against anyone.
    var slowSyns: Bool { synRetrans > 0 && (connectP99Micros ?? 0) >= Self.retransmittedSynMicros }

    /// SYNs went unanswered or were answered late: connect timeouts, or retransmissions that slowed the p99.
    var unansweredSyns: Bool { connectTimeouts > 0 || slowSyns }

    /// Who the evidence blames, this host's port exhaustion aside (`SummaryReport.why` decides that first):
    /// 1. the server, when its listener dropped handshakes: the drops explain the SYNs left unanswered;
    /// 2. the server, when its refusals and resets are at least as many as the connect timeouts;
    /// 3. a middlebox, when SYNs went unanswered (connect timeouts, or retransmissions that slowed connect
    ///    p99 to about 1 s) while this host's ports were free.
    /// nil when nothing points at either, and when timeouts outnumber refusals while this host's ports were
    /// not free (then neither side can be told from the other).
    var side: Blame? {
        if listenOverflowed { return .server }
        if serverFailures > 0 && serverFailures >= connectTimeouts { return .server }
        if unansweredSyns && portsFree { return .middlebox }
        return nil
    }
}
