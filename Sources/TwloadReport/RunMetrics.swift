/// The named figures of a finished run that thresholds (`--fail-on`, a profile's `thresholds`) can use.
/// Events that never happened are +infinity (so `first_eaddrnotavail_s > 30` holds when there was none).
public enum RunMetrics {
    public static let names: Set<String> = [
        "rate", "duration_s", "achieved_rate", "attempted", "established", "completed", "failed", "missed",
        "unfinished", "eaddrnotavail", "eaddrinuse", "econnrefused", "etimedout", "econnreset", "emfile",
        "other_errors", "active_closes", "passive_closes", "connect_timeouts", "exchange_timeouts",
        "protocol_errors", "peak_open", "connect_p50_us", "connect_p99_us", "connect_max_us",
        "connect_call_p50_us", "connect_call_p99_us", "connect_call_max_us", "lag_p99_us", "lag_max_us",
        "first_eaddrnotavail_s", "first_slow_connect_s", "established_before_slow", "established_after_slow",
        "peak_tw_client", "peak_tw_server", "peak_tw_total", "tw_recycled", "tw_overflow",
        "server_accepted", "server_active_closes", "server_passive_closes", "server_resets",
        "predicted_first_eaddrnotavail_s", "predicted_slow_connect_s", "predicted_sustainable_rate",
        "predicted_steady_tw_client", "predicted_steady_tw_server",
    ]

    /// The values of a run. Metrics that could not be measured (e.g. server counts with an external
    /// target) are absent, so a threshold on them reports N/A instead of passing or failing silently.
    public static func values(_ t: RunTotals, _ d: RunDescription) -> [String: Double] {
        let c = t.counters
        let l = t.latency
        var v: [String: Double] = [
            "rate": d.rate, "duration_s": t.elapsedSeconds, "achieved_rate": t.achievedRate,
            "attempted": Double(c.attempted), "established": Double(c.established),
            "completed": Double(c.completed), "failed": Double(c.failed), "missed": Double(c.missed),
            "unfinished": Double(c.unfinished), "eaddrnotavail": Double(c.eaddrnotavail),
            "eaddrinuse": Double(c.eaddrinuse), "econnrefused": Double(c.econnrefused),
            "etimedout": Double(c.etimedout), "econnreset": Double(c.econnreset), "emfile": Double(c.emfile),
            "other_errors": Double(c.otherErrors), "active_closes": Double(c.activeCloses),
            "passive_closes": Double(c.passiveCloses), "connect_timeouts": Double(c.connectTimeouts),
            "exchange_timeouts": Double(c.exchangeTimeouts), "protocol_errors": Double(c.protocolErrors),
            "peak_open": Double(t.peakOpen),
            "first_eaddrnotavail_s": t.firstEaddrnotavailSeconds ?? .infinity,
            "first_slow_connect_s": t.firstSlowIntervalStart ?? .infinity,
            "established_before_slow": Double(t.establishedBeforeSlow),
            "tw_recycled": Double(t.timeWaitRecycled), "tw_overflow": Double(t.timeWaitOverflow),
        ]
        if !t.establishedAfterSlow.isEmpty {
            v["established_after_slow"] = Double(t.establishedAfterSlow.reduce(0, +)) / Double(t.establishedAfterSlow.count)
        }
        let latencies: [(String, UInt64?)] = [
            ("connect_p50_us", l.connect.percentileOrNil(50)), ("connect_p99_us", l.connect.percentileOrNil(99)),
            ("connect_max_us", l.connect.maxOrNil), ("connect_call_p50_us", l.connectCall.percentileOrNil(50)),
            ("connect_call_p99_us", l.connectCall.percentileOrNil(99)), ("connect_call_max_us", l.connectCall.maxOrNil),
            ("lag_p99_us", l.lag.percentileOrNil(99)), ("lag_max_us", l.lag.maxOrNil),
        ]
        for (name, value) in latencies { if let value { v[name] = Double(value) } }
        if let x = t.peakTimeWaitClient { v["peak_tw_client"] = Double(x) }
        if let x = t.peakTimeWaitServer { v["peak_tw_server"] = Double(x) }
        if let x = t.peakTimeWait { v["peak_tw_total"] = Double(x) }
        if let s = t.server {
            v["server_accepted"] = Double(s.accepted)
            v["server_active_closes"] = Double(s.activeCloses)
            v["server_passive_closes"] = Double(s.passiveCloses)
            v["server_resets"] = Double(s.resets)
        }
        if let p = d.prediction {
            v["predicted_first_eaddrnotavail_s"] = p.firstEaddrnotavailSeconds ?? .infinity
            v["predicted_slow_connect_s"] = p.slowConnectSeconds ?? .infinity
            v["predicted_sustainable_rate"] = p.sustainableRate
            v["predicted_steady_tw_client"] = Double(p.steadyClientTimeWait)
            v["predicted_steady_tw_server"] = Double(p.steadyServerTimeWait)
        }
        return v
    }
}
