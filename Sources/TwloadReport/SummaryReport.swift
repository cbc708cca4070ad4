import TwloadModel
import TwloadStats

/// What the summary needs to know about the run besides its totals.
public struct RunDescription: Sendable {
    public var target: String
    public var builtinServer: Bool
    public var rate: Double
    public var close: CloseSide
    public var linger: LingerMode
    /// Source ports available per source address, and how many addresses.
    public var portsPerAddress: Int?
    public var sourceAddressCount: Int
    /// The preflight's prediction, shown beside the measured figures.
    public var prediction: Prediction?
    public var wireProtocol: WireProtocol = .tcp
    /// This process's share of a fleet's schedule (`rate` is already the share).
    public var agent = AgentSlot.alone
    /// The HTTP status codes that count as success.
    public var expectedStatus = StatusSet.successOrRedirect

    public init(
        target: String, builtinServer: Bool, rate: Double, close: CloseSide, linger: LingerMode,
        portsPerAddress: Int?, sourceAddressCount: Int, prediction: Prediction? = nil
    ) {
        self.target = target
        self.builtinServer = builtinServer
        self.rate = rate
        self.close = close
        self.linger = linger
        self.portsPerAddress = portsPerAddress
        self.sourceAddressCount = sourceAddressCount
        self.prediction = prediction
    }
}

/// The end-of-run summary printed on stderr: totals, rates, errors by errno, the first EADDRNOTAVAIL, when
/// connect() became slow, peak open, and one plain sentence on why.
public enum SummaryReport {
    public static func render(_ t: RunTotals, _ d: RunDescription) -> String {
        let c = t.counters
        var lines: [String] = []
        lines.append(
            "twload summary: \(NumberText.fixed3(t.elapsedSeconds)) s against \(d.target)"
                + "\(d.builtinServer ? " (built-in server)" : ""), target \(NumberText.rate(d.rate))/s"
                + (d.agent.count > 1
                    ? " (agent \(d.agent) of \(NumberText.rate(d.rate * Double(d.agent.count)))/s)" : "") + ", "
                + "\(d.close.rawValue) close, linger \(d.linger)")
        lines.append(
            "  attempted \(c.attempted), established \(c.established) (\(NumberText.oneDecimal(t.achievedRate))/s), "
                + "completed \(c.completed), failed \(c.failed), missed \(c.missed), unfinished \(c.unfinished)")
        lines.append(
            "  closes: active \(c.activeCloses), passive \(c.passiveCloses); peak open \(t.peakOpen)"
                + (t.peakTimeWait.map { tw in
                    "; peak TIME_WAIT (namespace) \(tw)" + (t.timeWaitAtStart.map { ", \($0) at start" } ?? "")
                } ?? ""))
        if let own = ownTimeWait(t) { lines.append("  TIME_WAIT of this run (peak): " + own) }
        if c.notStarted > 0 {
            lines.append(
                "  not started: \(c.notStarted) scheduled attempts, because the schedule was "
                    + "\(NumberText.twoDecimals(Double(c.endLagNanos) / 1e9)) s behind when it ended (peak backlog "
                    + "\(t.peakBacklog))")
        }
        lines.append("  errors: \(errorList(c))")
        if d.wireProtocol == .http {
            lines.append(
                "  HTTP responses: 2xx \(c.http2xx), 3xx \(c.http3xx), 4xx \(c.http4xx), 5xx \(c.http5xx); "
                    + "unexpected status \(c.unexpectedStatus) (expected \(d.expectedStatus))")
        }
        let l = t.latency
        lines.append(
            "  connect latency from schedule: p50 \(us(l.connect.percentileOrNil(50))), "
                + "p99 \(us(l.connect.percentileOrNil(99))), max \(us(l.connect.maxOrNil))")
        lines.append(
            "  connect() call: p50 \(us(l.connectCall.percentileOrNil(50))), "
                + "p99 \(us(l.connectCall.percentileOrNil(99))), max \(us(l.connectCall.maxOrNil)); "
                + "schedule lag p99 \(us(l.lag.percentileOrNil(99))), max \(us(l.lag.maxOrNil))")
        if l.response.totalCount > 0 {
            lines.append(
                "  response from schedule: p50 \(us(l.response.percentileOrNil(50))), "
                    + "p99 \(us(l.response.percentileOrNil(99))), max \(us(l.response.maxOrNil)); first byte p50 "
                    + "\(us(l.firstByte.percentileOrNil(50))), p99 \(us(l.firstByte.percentileOrNil(99)))")
        }
        let checks = PredictionCheck.compare(t, d)
        let verdict = { (metric: String) -> String in
            checks.first { $0.metric == metric }.map { PredictionCheck.verdictText($0) } ?? ""
        }
        let predictedFirst = d.prediction.map {
            "predicted " + (($0.firstEaddrnotavailSeconds).map { "\(NumberText.twoDecimals($0)) s" } ?? "none")
                + ", measured "
        }
        lines.append(
            "  first EADDRNOTAVAIL: " + (predictedFirst ?? "")
                + (t.firstEaddrnotavailSeconds.map { "\(NumberText.twoDecimals($0)) s" } ?? "none")
                + verdict("first_eaddrnotavail_s"))
        let predictedSlow =
            d.prediction.map {
                "predicted " + (($0.slowConnectSeconds).map { "\(NumberText.twoDecimals($0)) s" } ?? "never")
                    + ", measured "
            } ?? ""
        if let slow = t.firstSlowIntervalStart {
            lines.append(
                "  connect() slow (p99 > 1 ms): \(predictedSlow)from the interval starting at \(NumberText.twoDecimals(slow)) s"
                    + (t.firstSlowCallSeconds.map { " (first call over 1 ms at \(NumberText.twoDecimals($0)) s)" } ?? "")
                    + verdict("first_slow_connect_s"))
        } else {
            lines.append("  connect() slow (p99 > 1 ms): \(predictedSlow)never" + verdict("first_slow_connect_s"))
        }
        for check in checks where !["first_eaddrnotavail_s", "first_slow_connect_s"].contains(check.metric) {
            lines.append("  " + PredictionCheck.line(check))
        }
        if let s = t.server {
            lines.append(
                "  built-in server: accepted \(s.accepted), closed first \(s.activeCloses), "
                    + "client closed first \(s.passiveCloses), resets \(s.resets), errors \(s.errors)")
        }
        lines.append("  why: " + why(t, d))
        return lines.joined(separator: "\n") + "\n"
    }

    /// "client 2000, server 0" from this run's own TIME_WAIT peaks, or nil when the census could not tell
    /// them apart.
    static func ownTimeWait(_ t: RunTotals) -> String? {
        var parts: [String] = []
        if let c = t.peakRunTimeWaitClient { parts.append("client \(c)") }
        if let s = t.peakRunTimeWaitServer { parts.append("server \(s)") }
        return parts.isEmpty ? nil : parts.joined(separator: ", ")
    }

    /// "EADDRNOTAVAIL 120, ETIMEDOUT 3 (connect timeouts 3)" or "none".
    static func errorList(_ c: IntervalCounters) -> String {
        let named: [(String, Int)] = [
            ("EADDRNOTAVAIL", c.eaddrnotavail), ("EADDRINUSE", c.eaddrinuse), ("ECONNREFUSED", c.econnrefused),
            ("ETIMEDOUT", c.etimedout), ("ECONNRESET", c.econnreset), ("EMFILE", c.emfile),
            ("ENETUNREACH", c.enetunreach), ("EHOSTUNREACH", c.ehostunreach), ("other", c.otherErrors),
            ("unexpected HTTP status", c.unexpectedStatus),
        ]
        var parts = named.filter { $0.1 > 0 }.map { "\($0.0) \($0.1)" }
        if c.connectTimeouts + c.exchangeTimeouts > 0 {
            parts.append("(timeouts: connect \(c.connectTimeouts), exchange \(c.exchangeTimeouts))")
        }
        if c.protocolErrors > 0 { parts.append("(protocol errors \(c.protocolErrors))") }
        return parts.isEmpty ? "none" : parts.joined(separator: ", ")
    }

    /// One plain sentence on what limited the run and what would change it.
    public static func why(_ t: RunTotals, _ d: RunDescription) -> String {
        let c = t.counters
        let budget = d.portsPerAddress.map { $0 * max(1, d.sourceAddressCount) }
        let remedies =
            "Closing on the server, tcp_tw_reuse=1, a wider port range or more source addresses would "
            + "change this, as would --linger 0 (RST, no TIME_WAIT, but see RFC 1337)."
        if let first = t.firstEaddrnotavailSeconds {
            let sustainable =
                budget.map { ports in
                    let rate = Double(ports) / 60
                    let noun = NumberText.perSecond(rate) == "1" ? "connection" : "connections"
                    return " (\(ports) ports ÷ 60 s ≈ \(NumberText.perSecond(rate)) \(noun)/s sustainable)"
                } ?? ""
            return
                "from \(NumberText.twoDecimals(first)) s connect() failed with EADDRNOTAVAIL: every source port toward "
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
        if let slow = t.firstSlowIntervalStart, clientHoldsTimeWait {
            let after = t.meanEstablishedAfterSlow.map { Int($0) }
            let perInterval = t.intervalSeconds == 1 ? "/s" : " per interval"
            let fall =
                after.map {
                    ", and established fell from \(t.establishedBeforeSlow)\(perInterval) to about \($0)\(perInterval)"
                } ?? ""
            let tw =
                (t.peakTimeWaitClient ?? t.peakTimeWait).map {
                    " (up to \($0 == 1 ? "1 socket toward the target was" : "\($0) sockets toward the target were") in TIME_WAIT)"
                } ?? ""
            return
                "from about \(NumberText.twoDecimals(slow)) s each connect() spent milliseconds in the kernel\(fall), with "
                + "no error: the source ports that connect() tries first (the even half of ip_local_port_range) "
                + "were all held in TIME_WAIT\(tw), so the kernel searched longer and longer for a free one. "
                + "EADDRNOTAVAIL comes only once the whole range is held. " + remedies
        }
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
            return
                "\(NumberText.counted(c.failed, "connection")) failed (\(errorList(c))); no port exhaustion was seen."
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
        if d.prediction?.reuseApplies == true && c.activeCloses > 0 {
            return "no errors: TIME_WAIT reuse applies here (\(d.prediction!.reuseReason)), so client ports are "
                + "recycled; on a real network path with tcp_tw_reuse=0 they would not be."
        }
        return "no errors and no slowdown at this rate."
    }

    static func us(_ v: UInt64?) -> String {
        guard let v else { return "-" }
        return v >= 10_000 ? "\(NumberText.oneDecimal(Double(v) / 1000)) ms" : "\(v) us"
    }
}
