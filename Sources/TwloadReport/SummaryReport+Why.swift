import TwloadModel
import TwloadStats

/// The summary's explanation: the side that limited the run, if one did, and the plain words that say so.
public struct Explanation: Sendable, Equatable {
    /// Which side ran out or failed; nil when the run was not limited, or no one side stands out.
    public var limitedBy: Blame?
    /// One paragraph, naming the side first when there is one, with the numbers that support it.
    public var text: String
}

extension SummaryReport {
    /// One plain paragraph on what limited the run and what would change it (`explain(_:_:)`'s text).
    public static func why(_ t: RunTotals, _ d: RunDescription) -> String { explain(t, d).text }

    /// What limited the run, and who. The first that applies wins:
    /// 1. EADDRNOTAVAIL: this host ran out of source ports, whatever else failed.
    /// 2. The even-half collapse: connect() slow with about half the ports in TIME_WAIT and the client closing.
    /// 3. The server or a middlebox, as `BlameEvidence.side` weighs them: the server's dropped handshakes,
    ///    then refusals and resets when they are at least as many as connect timeouts, then connect timeouts
    ///    or SYN retransmissions (connect p99 about 1 s) while this host's ports were free. The smaller side
    ///    is mentioned too.
    /// 4. Without a side: unfinished connections, SO_LINGER 0, unexpected HTTP statuses, other failures.
    /// 5. Without failures: TIME_WAIT reuse or overflow, server close, a slow connect() for another reason, a
    ///    budget that a longer run would exhaust, loopback reuse, or nothing at all.
    public static func explain(_ t: RunTotals, _ d: RunDescription) -> Explanation {
        if let text = portExhaustion(t, d) { return Explanation(limitedBy: .hostPorts, text: text) }
        let evidence = BlameEvidence(t, d)
        switch evidence.side {
        case .server: return Explanation(limitedBy: .server, text: serverSentence(evidence, t, d))
        case .middlebox: return Explanation(limitedBy: .middlebox, text: middleboxSentence(evidence, t, d))
        case .hostPorts, nil: return Explanation(limitedBy: nil, text: unblamed(t, d))
        }
    }

    /// The source ports a run draws on: ports per address × addresses, when known.
    static func portBudget(_ d: RunDescription) -> Int? {
        d.portsPerAddress.map { $0 * max(1, d.sourceAddressCount) }
    }

    static let remedies =
        "Closing on the server, tcp_tw_reuse=1, a wider port range or more source addresses would "
        + "change this, as would --linger 0 (RST, no TIME_WAIT, but see RFC 1337)."

    /// "this host ran out of source ports: …" for EADDRNOTAVAIL or the even-half collapse; nil for neither.
    static func portExhaustion(_ t: RunTotals, _ d: RunDescription) -> String? {
        let c = t.counters
        let budget = portBudget(d)
        if let first = t.firstEaddrnotavailSeconds {
            let sustainable =
                budget.map { ports in
                    let rate = Double(ports) / 60
                    let noun = NumberText.perSecond(rate) == "1" ? "connection" : "connections"
                    return " (\(ports) ports ÷ 60 s ≈ \(NumberText.perSecond(rate)) \(noun)/s sustainable)"
                } ?? ""
            let held = t.peakTimeWaitClient.map { ", client TIME_WAIT peak \($0)" } ?? ""
            return
                "this host ran out of source ports: from \(NumberText.twoDecimals(first)) s connect() failed with "
                + "EADDRNOTAVAIL (\(NumberText.counted(c.eaddrnotavail, "failure"))\(held)): every source port toward "
                + "\(d.target) was held, because the client closes first and each closed connection keeps "
                + "its port in TIME_WAIT for 60 s\(sustainable). " + remedies
        }
        // The even-half collapse needs about half of the ports in TIME_WAIT and no reuse; a slow connect()
        // with far fewer (a busy CPU, say) has another cause. Without a census, the close side is all there
        // is to go on.
        let heldTimeWait = t.peakTimeWaitClient ?? t.peakTimeWait
        let enoughTimeWait = heldTimeWait.map { tw in budget.map { tw * 4 >= $0 } ?? (tw > 0) } ?? true
        let clientHoldsTimeWait =
            d.close == .client && d.linger != .reset && enoughTimeWait && d.prediction?.reuseApplies != true
        guard let slow = t.firstSlowIntervalStart, clientHoldsTimeWait else { return nil }
        let after = t.meanEstablishedAfterSlow.map { Int($0) }
        let perInterval = t.intervalSeconds == 1 ? "/s" : " per interval"
        let fall =
            after.map {
                ", and established fell from \(t.establishedBeforeSlow)\(perInterval) to about \($0)\(perInterval)"
            } ?? ""
        let tw =
            heldTimeWait.map {
                " (up to \($0 == 1 ? "1 socket toward the target was" : "\($0) sockets toward the target were") in TIME_WAIT"
                    + (budget.map { " of \($0) ports" } ?? "") + ")"
            } ?? ""
        return
            "this host ran short of source ports: from about \(NumberText.twoDecimals(slow)) s each connect() spent "
            + "milliseconds in the kernel\(fall), with no error (0 EADDRNOTAVAIL): the source ports that connect() "
            + "tries first (the even half of ip_local_port_range) were all held in TIME_WAIT\(tw), so the kernel "
            + "searched longer and longer for a free one. EADDRNOTAVAIL comes only once the whole range is held. "
            + remedies
    }

    /// The explanations that blame no side: what else stopped or shaped the run, or that nothing did.
    static func unblamed(_ t: RunTotals, _ d: RunDescription) -> String {
        let c = t.counters
        let budget = portBudget(d)
        if c.unfinished > 0 {
            return "\(c.unfinished) of \(NumberText.counted(c.attempted, "connection")) "
                + "\(c.unfinished == 1 ? "was" : "were") still open when the drain ended and "
                + "\(c.unfinished == 1 ? "was" : "were") closed without a verdict (completed \(c.completed)): the target held them without answering or "
                + "closing. They are not in `failed`; gate on `unfinished == 0`, or give a shorter --timeout to "
                + "count them as timeouts."
        }
        if d.linger == .reset {
            return "SO_LINGER 0 closed every connection with RST, so neither side kept TIME_WAIT; the peer sees "
                + "resets and the protections of TIME_WAIT are gone (RFC 1337)."
        }
        if c.unexpectedStatus > 0 && c.unexpectedStatus == c.failed {
            let classes = [("2xx", c.http2xx), ("3xx", c.http3xx), ("4xx", c.http4xx), ("5xx", c.http5xx)]
                .filter { $0.1 > 0 }.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
            return "the target answered \(NumberText.counted(c.unexpectedStatus, "request")) with a status "
                + "outside \(d.expectedStatus) (of all responses: \(classes)), so they count as failed; the "
                + "connections themselves worked. Give --expect-status if those statuses are what the target "
                + "should answer."
        }
        if c.failed > 0 {
            return "no one side stands out: \(NumberText.counted(c.failed, "connection")) failed (\(errorList(c)))"
                + (c.eaddrnotavail == 0 ? "; this host's source ports did not run out (0 EADDRNOTAVAIL)" : "") + "."
        }
        if t.timeWaitRecycled > 0 {
            return
                "tcp_tw_reuse took over \(NumberText.counted(t.timeWaitRecycled, "TIME_WAIT 4-tuple")) (TcpExtTWRecycled), so the "
                + "client's ports never ran out; reuse needs TCP timestamps and helps outgoing connections only."
        }
        if t.timeWaitOverflow > 0 {
            return "tcp_max_tw_buckets destroyed \(NumberText.counted(t.timeWaitOverflow, "TIME_WAIT socket")) at once "
                + "(TcpExtTCPTimeWaitOverflow): the cap keeps ports free by dropping TIME_WAIT's protection."
        }
        if c.passiveCloses > c.activeCloses {
            var text =
                "the server closed first, so TIME_WAIT stayed on the server and the client's source ports "
                + "were never held"
            if let b = budget, b < c.completed {
                text +=
                    "; \(NumberText.counted(b, "client port")) carried \(c.completed) connections, so new SYNs reused 4-tuples the "
                    + "server still held in TIME_WAIT, and it accepted them (newer timestamps)"
            }
            return text + "."
        }
        if let slow = t.firstSlowIntervalStart {
            return
                "connect() calls took over 1 ms (p99) from about \(NumberText.twoDecimals(slow)) s although the client "
                + "holds no TIME_WAIT here; the kernel's source-port search was slow for another reason, such as "
                + "a very small --source-ports range."
        }
        if let b = budget, Double(b) / 60 < d.rate && c.activeCloses > 0 && d.prediction?.reuseApplies != true {
            return "no errors yet, but at \(NumberText.rate(d.rate))/s with client close the \(b) source ports "
                + "last only about \(b / max(1, Int(d.rate))) s before they are all in TIME_WAIT; a longer run will show it."
        }
        if let reuse = d.prediction, reuse.reuseApplies && c.activeCloses > 0 {
            return "no errors: TIME_WAIT reuse applies here (\(reuse.reuseReason)), so client ports are "
                + "recycled; on a real network path with tcp_tw_reuse=0 they would not be."
        }
        return "no errors and no slowdown at this rate."
    }
}
