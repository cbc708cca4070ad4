import TwloadCensus

/// The per-state census columns shared by `run` and `watch`: eight TCP states per socket group.
public enum CensusColumns {
    /// One state's column suffix and count.
    public struct State: Sendable {
        public let suffix: String
        public let count: @Sendable (StateCounts) -> Int
    }

    /// In column order.
    public static let states: [State] = [
        State(suffix: "syn_sent") { $0.synSent }, State(suffix: "established") { $0.established },
        State(suffix: "fin_wait1") { $0.finWait1 }, State(suffix: "fin_wait2") { $0.finWait2 },
        State(suffix: "close_wait") { $0.closeWait }, State(suffix: "last_ack") { $0.lastAck },
        State(suffix: "closing") { $0.closing }, State(suffix: "time_wait") { $0.timeWait },
    ]
}

extension CensusColumns {
    /// One of the namespace's TCP counters, as a per-row delta.
    public struct Counter: Sendable {
        public let name: String
        public let meaning: String
        /// Whether its sum over the run is a run metric too.
        public let isRunMetric: Bool
        public let read: @Sendable (TcpCounters) -> Int
    }

    /// In column order.
    public static let counters: [Counter] = [
        Counter(
            name: "tw_recycled",
            meaning: "Delta of TcpExtTWRecycled: TIME_WAIT 4-tuples taken over by a new connect() (`tcp_tw_reuse`).",
            isRunMetric: true
        ) { $0.recycled },
        Counter(
            name: "tw_overflow",
            meaning: "Delta of TcpExtTCPTimeWaitOverflow: TIME_WAIT sockets not kept because `tcp_max_tw_buckets` "
                + "was reached.",
            isRunMetric: true
        ) { $0.overflow },
        Counter(
            name: "tcpext_tw",
            meaning: "Delta of TcpExtTW as `nstat` reports it; on the 6.x kernels measured here it moves with every "
                + "connection that enters TIME_WAIT.",
            isRunMetric: false
        ) { $0.expired },
    ]

    /// The namespace's counters of unanswered SYNs, after every other column (issue 17): they tell a
    /// middlebox or a full accept queue that drops SYNs from this host's own port trouble.
    public static let synCounters: [Counter] = [
        Counter(
            name: "syn_retrans",
            meaning: "Delta of TcpExtTCPSynRetrans: SYNs this namespace sent again because no SYN-ACK came in time "
                + "(a NAT, load balancer, firewall or full server dropping them; the first retry is 1 s after).",
            isRunMetric: true
        ) { $0.synRetrans },
        Counter(
            name: "listen_overflows",
            meaning: "Delta of TcpExtListenOverflows: handshakes a listener in this namespace could not queue, its "
                + "accept queue full (the built-in server, or the server `twload watch` watches).",
            isRunMetric: true
        ) { $0.listenOverflows },
        Counter(
            name: "listen_drops",
            meaning: "Delta of TcpExtListenDrops: SYNs or handshakes a listener in this namespace dropped, for any "
                + "reason (overflows included).",
            isRunMetric: true
        ) { $0.listenDrops },
    ]
}
