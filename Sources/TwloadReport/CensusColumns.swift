import TwloadCensus

/// The per-state census columns shared by `run` and `watch`: eight TCP states per socket group, then the
/// namespace's TIME_WAIT counter deltas.
public enum CensusColumns {
    /// Column suffixes, in order.
    public static let states = [
        "syn_sent", "established", "fin_wait1", "fin_wait2", "close_wait", "last_ack", "closing", "time_wait",
    ]

    /// "client_syn_sent", ... for `prefix` "client".
    public static func names(_ prefix: String) -> [String] { states.map { "\(prefix)_\($0)" } }

    /// The eight counts, or eight empty cells when the group was not measured.
    public static func cells(_ c: StateCounts?) -> [String] {
        guard let c else { return Array(repeating: "", count: states.count) }
        return [c.synSent, c.established, c.finWait1, c.finWait2, c.closeWait, c.lastAck, c.closing, c.timeWait]
            .map(String.init)
    }

    /// Names of the TIME_WAIT counter deltas.
    public static let counterNames = ["tw_recycled", "tw_overflow", "tcpext_tw"]

    public static func cells(_ d: TimeWaitCounters?) -> [String] {
        guard let d else { return ["", "", ""] }
        return [String(d.recycled), String(d.overflow), String(d.expired)]
    }
}
