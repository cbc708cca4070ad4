import TwloadModel

/// What a source NAT between this host and the server does to a run, from the mechanisms measured in the
/// lab's NAT topology (issue 17), not from the folklore that a NAT's ports run out at ports ÷ 60 s:
///
/// - A NAT tuple (address, port) toward one server port is held while its connection is open. Connections
///   open at once = rate × lifetime; once that passes the NAT's tuples (addresses × ports), new SYNs find
///   no tuple and the router drops them (conntrack insert_failed/drop): the onset is tuples ÷ rate, and the
///   NAT carries at most tuples ÷ lifetime per second.
/// - A closed connection's tuple is free again at once: conntrack lets a new SYN take over an entry in its
///   TIME_WAIT. So under client close short connections have no NAT ceiling, whatever the conntrack
///   TIME_WAIT timeout.
/// - Under server close the server keeps TIME_WAIT per 4-tuple, keyed by the NAT's addresses: at most one
///   per tuple, so its TIME_WAIT plateaus at the tuple count instead of rate × 60. A tuple comes round again
///   every tuples ÷ rate seconds; inside 60 s a reused tuple meets the server's TIME_WAIT, and some SYNs are
///   then answered late (SYN retransmissions, connect p99 near 1 s) or time out. The model says when this
///   regime applies, not how many SYNs it costs.
public struct NatPrediction: Sendable, Equatable {
    public struct Inputs: Sendable, Equatable {
        public var rate: Double
        /// How long each connection stays open (the server's `--hold`, or 0 for a short exchange).
        public var lifetimeSeconds: Double
        public var close: CloseSide
        public var linger: LingerMode
        public var natAddresses: Int
        /// Whether the NAT spreads one client's connections to one server over all its addresses
        /// (round-robin), or keeps them on one (Linux's hash of the two addresses).
        public var spreadsAcrossAddresses: Bool
        /// Ports per NAT address; nil when the NAT keeps the client's ports (no range set).
        public var natPorts: Int?
        /// The server's tcp_max_tw_buckets, when known.
        public var serverTimeWaitBuckets: Int?

        public init(
            rate: Double, lifetimeSeconds: Double, close: CloseSide, linger: LingerMode, natAddresses: Int,
            spreadsAcrossAddresses: Bool = true, natPorts: Int?, serverTimeWaitBuckets: Int? = nil
        ) {
            self.spreadsAcrossAddresses = spreadsAcrossAddresses
            self.rate = rate
            self.lifetimeSeconds = lifetimeSeconds
            self.close = close
            self.linger = linger
            self.natAddresses = natAddresses
            self.natPorts = natPorts
            self.serverTimeWaitBuckets = serverTimeWaitBuckets
        }
    }

    public var inputs: Inputs
    /// NAT addresses used × ports: the connections from one client address to one server port the NAT can
    /// have at once (one address under Linux's hash).
    public var tuples: Int?
    /// rate × lifetime.
    public var openAtOnce: Double
    /// When new SYNs start to find no free tuple (tuples ÷ rate), if more are open at once than tuples.
    public var exhaustionSeconds: Double?
    /// The most new connections per second the NAT carries: tuples ÷ lifetime (nil for lifetime 0).
    public var ceilingRate: Double?
    /// How often each tuple is used again: tuples ÷ rate.
    public var tupleReturnSeconds: Double?
    /// Server close with tuples coming round inside the server's 60 s TIME_WAIT: reused tuples meet it.
    public var serverTimeWaitCollides: Bool
    /// The server's steady TIME_WAIT under server close: min(rate × 60, tuples, buckets); nil otherwise.
    public var steadyServerTimeWait: Int?

    public init(_ i: Inputs) {
        inputs = i
        tuples = i.natPorts.map { $0 * (i.spreadsAcrossAddresses ? max(1, i.natAddresses) : 1) }
        openAtOnce = i.rate * i.lifetimeSeconds
        guard let tuples, tuples > 0, i.rate > 0 else {
            exhaustionSeconds = nil
            ceilingRate = nil
            tupleReturnSeconds = nil
            serverTimeWaitCollides = false
            steadyServerTimeWait = nil
            return
        }
        let t = Double(tuples)
        exhaustionSeconds = openAtOnce > t ? t / i.rate : nil
        ceilingRate = i.lifetimeSeconds > 0 ? t / i.lifetimeSeconds : nil
        tupleReturnSeconds = t / i.rate
        let serverHolds = i.close == .server && i.linger != .reset
        serverTimeWaitCollides = serverHolds && t / i.rate < Prediction.timeWaitSeconds
        steadyServerTimeWait =
            serverHolds
            ? min(
                Int(min(Double(Int.max / 2), i.rate * Prediction.timeWaitSeconds)), tuples,
                i.serverTimeWaitBuckets ?? Int.max) : nil
    }

    /// The preflight's NAT lines, each ending in a newline.
    public var text: String {
        let i = inputs
        guard let tuples else {
            return "  NAT: \(i.natAddresses) address(es), ports kept from the client: no NAT port limit to predict\n"
        }
        var lines: [String] = []
        let used = i.spreadsAcrossAddresses ? max(1, i.natAddresses) : 1
        let addresses =
            used == 1
            ? (i.natAddresses > 1
                ? "1 of \(i.natAddresses) addresses (Linux's hash keeps one client→server pair on one)" : "1 address")
            : "\(used) addresses"
        lines.append(
            "  NAT: \(addresses) × \(i.natPorts ?? 0) ports = \(tuples) tuples toward the server; open at once: "
                + "\(NumberText.rate(i.rate))/s × \(NumberText.twoDecimals(i.lifetimeSeconds)) s = "
                + "\(NumberText.compact(openAtOnce.rounded()))")
        if let onset = exhaustionSeconds {
            lines.append(
                "    more open at once than tuples: from \(NumberText.twoDecimals(onset)) s (tuples ÷ rate) the router "
                    + "finds no free tuple and drops new SYNs (conntrack insert_failed, drop); connect timeouts "
                    + "follow while this host's ports stay free"
                    + (ceilingRate.map { "; the NAT carries at most \(NumberText.perSecond($0))/s (tuples ÷ lifetime)" }
                        ?? ""))
        } else {
            lines.append(
                "    fewer open at once than tuples: a closed connection's tuple is free at once (conntrack takes "
                    + "over its own TIME_WAIT entries), so the NAT sets no ceiling"
                    + (ceilingRate.map { " below \(NumberText.perSecond($0))/s (tuples ÷ lifetime)" } ?? ""))
        }
        if serverTimeWaitCollides, let back = tupleReturnSeconds {
            lines.append(
                "    server close: each tuple comes round every \(NumberText.twoDecimals(back)) s, inside the "
                    + "server's 60 s TIME_WAIT, which holds at most \(steadyServerTimeWait ?? tuples) sockets keyed "
                    + "by the NAT's addresses: reused tuples meet it, so expect SYN retransmissions, a connect p99 "
                    + "near 1 s and some connect timeouts (the model does not say how many)")
        } else if i.close == .server, let back = tupleReturnSeconds {
            lines.append(
                "    server close: each tuple comes round every \(NumberText.twoDecimals(back)) s, after the "
                    + "server's 60 s TIME_WAIT has ended: no collision")
        }
        return lines.map { $0 + "\n" }.joined()
    }
}
