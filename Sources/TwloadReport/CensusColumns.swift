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
    /// One of the namespace's TIME_WAIT counters, as a per-row delta.
    public struct Counter: Sendable {
        public let name: String
        public let meaning: String
        /// Whether its sum over the run is a run metric too.
        public let isRunMetric: Bool
        public let read: @Sendable (TimeWaitCounters) -> Int
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
}
