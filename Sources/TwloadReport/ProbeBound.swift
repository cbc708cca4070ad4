import TwloadModel

/// What bounded a `twload find` probe that did not hold: this host's CPU, this host's source ports, the
/// server, or the path between them. The JSON summary carries it as a probe's `limited_by`.
public enum ProbeBound: String, Sendable, Equatable, CaseIterable {
    /// The client could not keep its schedule: attempts started late (loop lag) or were skipped.
    case hostCPU = "host_cpu"
    /// EADDRNOTAVAIL, or connect() slowed by the even half of the range held in TIME_WAIT.
    case hostPorts = "host_ports"
    /// Refusals, resets, or the server's listener dropping handshakes.
    case server
    /// Connect timeouts and SYN retransmissions while this host's ports were free: a NAT, load balancer or
    /// firewall between the two.
    case path
    /// A criterion failed and none of the above stands out.
    case unknown

    /// "this host's ports", as the result's "limited by" line says it.
    public var phrase: String {
        switch self {
        case .hostCPU: "this host's CPU"
        case .hostPorts: "this host's ports"
        case .server: "the server"
        case .path: "the path"
        case .unknown: "no one side"
        }
    }

    /// Loop lag at or above this (p99, µs) means the client's thread could not keep its schedule.
    public static let lagMicros: UInt64 = 1000

    /// The bound of a probe that failed its criteria, and the figures that show it (one short phrase). The
    /// summary's explanation decides ports, server and path (`SummaryReport.explain`); without one of them,
    /// loop lag, missed attempts or a backlog point at the client's CPU.
    public static func of(_ t: RunTotals, _ d: RunDescription) -> (bound: ProbeBound, evidence: String) {
        let c = t.counters
        switch SummaryReport.explain(t, d).limitedBy {
        case .hostPorts:
            if let first = t.firstEaddrnotavailSeconds {
                return (
                    .hostPorts,
                    "\(NumberText.counted(c.eaddrnotavail, "EADDRNOTAVAIL", plural: "EADDRNOTAVAIL")) from \(NumberText.twoDecimals(first)) s"
                )
            }
            let slow = t.firstSlowIntervalStart.map { " from \(NumberText.twoDecimals($0)) s" } ?? ""
            return (.hostPorts, "connect() slow\(slow), the even half of the port range in TIME_WAIT")
        case .server:
            let e = BlameEvidence(t, d)
            var parts: [String] = []
            if e.refused > 0 { parts.append("\(e.refused) refused") }
            if e.reset > 0 { parts.append("\(e.reset) reset") }
            if let drops = e.listenDrops, drops > 0 { parts.append("\(drops) listen drops") }
            return (.server, parts.isEmpty ? "the server failed connections" : parts.joined(separator: ", "))
        case .middlebox:
            let e = BlameEvidence(t, d)
            let figures =
                "\(NumberText.counted(e.connectTimeouts, "connect timeout")), "
                + "\(NumberText.counted(e.synRetrans, "SYN retransmission"))"
            // Nothing lies between this host and a loopback target: its own listener dropped the SYNs.
            if isLoopback(d.target) { return (.server, figures + " on loopback: the server's listener dropped SYNs") }
            return (.path, figures)
        case nil:
            break
        }
        let lag = t.latency.lag.percentileOrNil(99) ?? 0
        if c.missed > 0 || lag >= lagMicros || t.peakBacklog > 0 {
            var parts = ["loop lag p99 \(Self.time(micros: lag))"]
            if c.missed > 0 { parts.append("\(c.missed) missed") }
            if t.peakBacklog > 0 { parts.append("backlog up to \(t.peakBacklog)") }
            return (.hostCPU, parts.joined(separator: ", "))
        }
        if c.failed > 0 { return (.unknown, "\(NumberText.counted(c.failed, "failure"))") }
        let connect = t.latency.connect.percentileOrNil(99).map { "connect p99 \(Self.time(micros: $0))" }
        return (.unknown, connect ?? "a criterion failed")
    }

    /// Whether `target` ("127.0.0.1:80", "[::1]:80") is a loopback address, where no middlebox can sit.
    static func isLoopback(_ target: String) -> Bool {
        target.hasPrefix("127.") || target.hasPrefix("[::1]")
    }

    /// "850 µs", "3.2 ms", "1.05 s".
    static func time(micros: UInt64) -> String {
        if micros < 1000 { return "\(micros) µs" }
        if micros < 1_000_000 { return "\(NumberText.compact((Double(micros) / 100).rounded() / 10)) ms" }
        return "\(NumberText.twoDecimals(Double(micros) / 1e6)) s"
    }
}
