import TwloadModel

/// The explanations that blame the other end or the path, each with the counts it rests on.
extension SummaryReport {
    /// "the server refused or reset connections: …" or "the server's listener dropped handshakes: …".
    static func serverSentence(_ e: BlameEvidence, _ t: RunTotals, _ d: RunDescription) -> String {
        var parts: [String] = []
        if e.refused > 0 {
            parts.append(
                "\(NumberText.counted(e.refused, "connection")) refused (ECONNREFUSED: nothing listening at "
                    + "\(d.target), or a full accept queue with tcp_abort_on_overflow=1)")
        }
        if e.reset > 0 {
            parts.append(
                "\(NumberText.counted(e.reset, "connection")) reset (ECONNRESET: an RST from the server, or from "
                    + "something answering for it)")
        }
        if e.listenOverflowed {
            parts.append(
                "its listener dropped handshakes (\(NumberText.counted(e.listenOverflows ?? 0, "accept-queue overflow")) "
                    + "in TcpExtListenOverflows, \(e.listenDrops ?? 0) in ListenDrops), so clients waited to send "
                    + "their SYNs again (\(synFigures(e)))")
        }
        let opening =
            e.serverFailures > 0 ? "the server refused or reset connections: " : "the server could not keep up: "
        var text = opening + parts.joined(separator: "; ")
        if !e.listenOverflowed && e.connectTimeouts > 0 {
            text +=
                "; fewer SYNs went unanswered (\(synFigures(e))), which a NAT, firewall or load balancer on the "
                + "path could explain"
        }
        text += "; this host's source ports did not run out (0 EADDRNOTAVAIL)" + unfinishedClause(t)
        if e.listenOverflowed {
            text +=
                ". A longer listen backlog (net.core.somaxconn, tcp_max_syn_backlog) or a faster accept loop "
                + "would change this"
        }
        return text + "."
    }

    /// "something between this host and the target dropped or delayed SYNs: …".
    static func middleboxSentence(_ e: BlameEvidence, _ t: RunTotals, _ d: RunDescription) -> String {
        let verb = e.connectTimeouts > 0 ? "dropped or delayed" : "delayed"
        var text =
            "something between this host and \(d.target) \(verb) SYNs: \(synFigures(e)), while this host's "
            + "ports were free (0 EADDRNOTAVAIL\(clientPorts(e)))"
        if let drops = e.routerConntrackDrops {
            text +=
                drops > 0
                ? "; the router's conntrack dropped \(NumberText.counted(drops, "SYN")) of new connections "
                    + "(its drop and early_drop statistics: no free NAT port or table room for them)"
                : "; the router's conntrack table dropped none, so the SYNs were delayed or answered late rather "
                    + "than dropped there (a server still holding TIME_WAIT for a 4-tuple the NAT reused, say)"
        }
        if let nat = d.nat, nat.serverTimeWaitCollides, let tw = t.peakTimeWaitServer, tw > 0,
            let back = nat.tupleReturnSeconds
        {
            text +=
                "; the server held up to \(tw) TIME_WAIT sockets keyed by the NAT's \(nat.tuples ?? 0) tuples, and each "
                + "tuple came round every \(NumberText.twoDecimals(back)) s, inside their 60 s"
        }
        if e.serverFailures > 0 {
            let named = [("ECONNREFUSED", e.refused), ("ECONNRESET", e.reset)].filter { $0.1 > 0 }
                .map { "\($0.0) \($0.1)" }.joined(separator: ", ")
            text += "; the server refused or reset fewer (\(named))"
        }
        return text + unfinishedClause(t)
            + ". Look at the NAT, load balancer, firewall or conntrack table between this host and the target."
    }

    /// "3 connect timeouts, 9 SYN retransmissions, connect p99 3.01 s (a SYN is sent again after 1 s, 3 s,
    /// 7 s…)": the figures of unanswered SYNs.
    static func synFigures(_ e: BlameEvidence) -> String {
        var parts: [String] = []
        if e.connectTimeouts > 0 { parts.append(NumberText.counted(e.connectTimeouts, "connect timeout")) }
        parts.append(NumberText.counted(e.synRetrans, "SYN retransmission"))
        parts.append(
            e.connectP99Micros.map {
                "connect p99 \(NumberText.twoDecimals(Double($0) / 1e6)) s (a SYN is sent again 1 s, 3 s, 7 s… "
                    + "after the first)"
            } ?? "no connection established")
        return parts.joined(separator: ", ")
    }

    /// ", client TIME_WAIT peak 120 of 28232 ports", when measured.
    static func clientPorts(_ e: BlameEvidence) -> String {
        guard let tw = e.clientTimeWait else { return "" }
        return ", client TIME_WAIT peak \(tw)" + (e.portBudget.map { " of \($0) ports" } ?? "")
    }

    /// "; 6 connections were still open when the drain ended", when some were.
    static func unfinishedClause(_ t: RunTotals) -> String {
        let n = t.counters.unfinished
        guard n > 0 else { return "" }
        return "; \(NumberText.counted(n, "connection")) \(n == 1 ? "was" : "were") still open when the drain ended"
    }
}
