import TwloadModel

/// The short preflight block printed on stderr before a run (and by `twload check`): the settings that
/// govern TIME_WAIT here, the effective port space, and what to expect.
public enum PreflightReport {
    public static func render(
        _ p: Prediction, _ i: Prediction.Inputs, fdLimit: Int?, maxOpen: Int?,
        namespace: String, closedLoop: Int? = nil
    ) -> String {
        let k = i.kernel
        var lines = ["twload preflight (\(namespace)):"]
        let system = k.localPortRange.map { "\($0) (\($0.count) ports)" } ?? "unknown"
        var ports = "  ports: ip_local_port_range \(system)"
        if let s = i.sourcePorts {
            ports += i.explicitBind ? ", --source-ports \(s) bound explicitly" : ", per-socket --source-ports \(s)"
        }
        if p.reservedExcluded > 0 { ports += ", \(p.reservedExcluded) reserved" }
        ports += " → \(p.portsPerAddress) usable × \(p.addresses) source address\(p.addresses == 1 ? "" : "es")"
        lines.append(ports)
        var knobs = "  tcp_tw_reuse=\(k.twReuse.map(String.init) ?? "?")"
        if let d = k.twReuseDelayMillis { knobs += " (delay \(d) ms)" }
        knobs += ", tcp_max_tw_buckets=\(k.maxTimeWaitBuckets.map(String.init) ?? "?")"
        knobs += ", tcp_fin_timeout=\(k.finTimeout.map(String.init) ?? "?") s (FIN_WAIT_2 only)"
        if let fdLimit { knobs += ", open files \(fdLimit)" }
        if let maxOpen { knobs += ", --max-open \(maxOpen)" }
        lines.append(knobs)
        lines.append("  reuse: \(p.reuseReason)")
        switch p.timeWaitSide {
        case .client?:
            lines.append(
                "  the client closes first: TIME_WAIT (60 s on Linux) lands on this side, one source port each")
        case .server?:
            lines.append(
                "  the server closes first: TIME_WAIT (60 s on Linux) lands on the server; client ports stay free")
        case nil:
            lines.append("  SO_LINGER 0: closes send RST and neither side keeps TIME_WAIT (RFC 1337 hazards)")
        }
        if let n = closedLoop {
            lines.append(closedLoopOutlook(p, connections: n, systemRange: i.sourcePorts == nil))
            return lines.joined(separator: "\n") + "\n"
        }
        lines.append(
            "  predicted steady TIME_WAIT: client \(p.steadyClientTimeWait), server \(p.steadyServerTimeWait); "
                + "sustainable without reuse: \(Int(p.sustainableRate))/s")
        var outlook = "  predicted: "
        if let slow = p.slowConnectSeconds, let collapsed = p.collapsedRate, let first = p.firstEaddrnotavailSeconds {
            outlook +=
                "connect() slows at \(seconds(slow)) (even half of the range held), the rate falls to about "
                + "\(Int(collapsed))/s (\(Int(Prediction.collapsedRatePerThread))/s per thread, measured on kernel 6.18), "
                + "first EADDRNOTAVAIL at about \(seconds(first))"
        } else if let first = p.firstEaddrnotavailSeconds {
            outlook +=
                "first EADDRNOTAVAIL at \(seconds(first)) (\(p.portsPerAddress * p.addresses) ports ÷ \(NumberText.rate(i.rate))/s)"
        } else if let o = p.overflowSeconds {
            outlook +=
                "tcp_max_tw_buckets overflows at \(seconds(o)): TIME_WAIT is destroyed early, so ports never run out"
        } else {
            outlook += "no port exhaustion at \(NumberText.rate(i.rate))/s"
        }
        lines.append(outlook)
        return lines.joined(separator: "\n") + "\n"
    }

    /// A closed loop sets no rate, so nothing is predicted in time; what the ports sustain still holds.
    static func closedLoopOutlook(_ p: Prediction, connections n: Int, systemRange: Bool) -> String {
        var line = "  closed loop: \(n) connection\(n == 1 ? "" : "s") in flight, as fast as the target answers; no "
        line += "rate is set, so no onset is predicted"
        if p.timeWaitSide == .client {
            line +=
                "; the client's ports hold TIME_WAIT for 60 s, so above \(Int(p.sustainableRate))/s they run out"
                + (systemRange ? " (connect() slows first, once the even half of the range is held)" : "")
        }
        return line
    }

    static func seconds(_ s: Double) -> String { "\(NumberText.twoDecimals(s)) s" }
}
