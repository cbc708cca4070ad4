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
    /// What a source NAT in the path predicts (the lab's NAT topology), or nil.
    public var nat: NatPrediction?
    /// Request/response exchanges each connection was asked to carry (`--requests-per-connection`).
    public var requestsPerConnection = 1
    /// Closed loop (`--concurrency`): the connections kept in flight; nil for an open-loop rate.
    public var concurrency: Int?
    /// How the client made its socket calls. io_uring makes no connect() call of its own, so nothing
    /// about connect() calls is measured under it.
    public var engine = ClientEngine.epoll

    /// The run timed each connect() call (epoll): the source of the connect-call latency and of connect()
    /// slowness (`first_slow_connect_s`), which are not measured otherwise.
    public var timesConnectCalls: Bool { engine == .epoll }

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
                + "\(d.builtinServer ? " (built-in server)" : ""), "
                + (d.concurrency.map { "closed loop, \($0) in flight" } ?? "target \(NumberText.rate(d.rate))/s")
                + (d.agent.count > 1
                    ? " (agent \(d.agent) of \(NumberText.rate(d.rate * Double(d.agent.count)))/s)" : "") + ", "
                + "\(d.close.rawValue) close, linger \(d.linger)" + (d.engine == .ioUring ? ", io_uring engine" : ""))
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
        if !t.stages.isEmpty {
            lines.append("  stages (each row counts in the stage it started in):")
            for (i, stage) in t.stages.enumerated() { lines.append("  " + stage.line(i)) }
        }
        if d.requestsPerConnection > 1 { lines.append(requestsLine(t, d)) }
        lines.append("  errors: \(errorList(c))")
        if d.wireProtocol == .http {
            lines.append(
                "  HTTP responses: 2xx \(c.http2xx), 3xx \(c.http3xx), 4xx \(c.http4xx), 5xx \(c.http5xx); "
                    + "unexpected status \(c.unexpectedStatus) (expected \(d.expectedStatus))")
        }
        let l = t.latency
        // A closed loop has no schedule: its latencies run from each attempt's start, and it has no lag.
        let from = d.concurrency == nil ? "from schedule" : "from attempt start"
        lines.append(
            "  connect latency \(from): p50 \(us(l.connect.percentileOrNil(50))), "
                + "p99 \(us(l.connect.percentileOrNil(99))), max \(us(l.connect.maxOrNil))")
        lines.append(
            "  connect() call: p50 \(us(l.connectCall.percentileOrNil(50))), "
                + "p99 \(us(l.connectCall.percentileOrNil(99))), max \(us(l.connectCall.maxOrNil))"
                + (d.concurrency == nil
                    ? "; schedule lag p99 \(us(l.lag.percentileOrNil(99))), max \(us(l.lag.maxOrNil))" : ""))
        if l.response.totalCount > 0 {
            lines.append(
                "  response \(from): p50 \(us(l.response.percentileOrNil(50))), "
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
        if !d.timesConnectCalls {
            lines.append("  connect() slow (p99 > 1 ms): not measured (the io_uring engine makes no connect() call)")
        } else if let slow = t.firstSlowIntervalStart {
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

    /// "  requests: 3000 written, 3000 responses, 10.0 per connection (asked 10); TIME_WAIT of this run per
    /// request: client 0.100, server 0.000", for a keep-alive run: the remedy's effect, per request.
    static func requestsLine(_ t: RunTotals, _ d: RunDescription) -> String {
        let c = t.counters
        let perConnection = c.established > 0 ? Double(c.responses) / Double(c.established) : 0
        var line =
            "  requests: \(c.requests) written, \(c.responses) responses, "
            + "\(NumberText.oneDecimal(perConnection)) per connection (asked \(d.requestsPerConnection))"
        if c.responses > 0 {
            let per = { (tw: Int?) in tw.map { NumberText.fixed3(Double($0) / Double(c.responses)) } }
            let sides = [("client", per(t.peakRunTimeWaitClient)), ("server", per(t.peakRunTimeWaitServer))]
                .compactMap { name, v in v.map { "\(name) \($0)" } }
            if !sides.isEmpty { line += "; TIME_WAIT of this run per response: " + sides.joined(separator: ", ") }
        }
        return line
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

    static func us(_ v: UInt64?) -> String {
        guard let v else { return "-" }
        return v >= 10_000 ? "\(NumberText.oneDecimal(Double(v) / 1000)) ms" : "\(v) us"
    }
}
