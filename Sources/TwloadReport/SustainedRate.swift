import TwloadModel

/// The rate a capacity search's result holds indefinitely, not just for the dwell, from the port budget
/// (`Prediction`): under client close every connection keeps its source port in TIME_WAIT for 60 s, so a
/// rate above ports × addresses ÷ 60 s runs out of ports however long it held in a short probe. With the
/// system range, connect() already slows once the even half of it is held (ports ÷ 2 ÷ 60 s). A source NAT's
/// tuples bound it the same way. Server close, RST and TIME_WAIT reuse leave no budget to run down.
public struct SustainedRate: Sendable, Equatable {
    /// Connections per second that hold indefinitely.
    public var rate: Double
    /// What bounds it: this host's ports or the path's NAT when a budget is lower than the short-term
    /// maximum, otherwise whatever bounded the maximum (nil when the maximum itself held at `--max`).
    public var bound: ProbeBound?
    /// One phrase on where the rate comes from, with its figures.
    public var basis: String

    public init(rate: Double, bound: ProbeBound?, basis: String) {
        self.rate = rate
        self.bound = bound
        self.basis = basis
    }

    /// The sustainable rate of a search whose highest held rate is `maximum` (bounded by `maximumBound`),
    /// for the run `d` describes. `systemRange` is true when connect() draws on ip_local_port_range (no
    /// `--source-ports`), where the even half is tried first.
    public static func of(
        maximum: Double, maximumBound: ProbeBound?, description d: RunDescription, systemRange: Bool
    ) -> SustainedRate {
        var best = SustainedRate(rate: maximum, bound: maximumBound, basis: noBudget(d))
        if d.close == .client, d.linger != .reset, let p = d.prediction, !p.reuseApplies, p.portsPerAddress > 0 {
            let ports = p.portsPerAddress * p.addresses
            var basis = "\(ports) ports ÷ 60 s of TIME_WAIT = \(CapacitySearch.text(p.sustainableRate))/s"
            var budget = p.sustainableRate
            if systemRange {
                budget = p.sustainableRate / 2
                basis +=
                    "; connect() slows above \(CapacitySearch.text(budget))/s, once the even half of the range is "
                    + "held, and loses its schedule"
            }
            best =
                budget < maximum
                ? SustainedRate(rate: budget, bound: .hostPorts, basis: basis)
                : SustainedRate(
                    rate: maximum, bound: maximumBound, basis: basis + ", above the short-term maximum")
        }
        if let nat = d.nat, let ceiling = nat.ceilingRate, ceiling < best.rate {
            let tuples = nat.tuples.map { "\($0) tuples" } ?? "tuples"
            let seconds = nat.tupleReturnSeconds.map { " ÷ \(NumberText.compact($0)) s" } ?? ""
            best = SustainedRate(
                rate: ceiling, bound: .path,
                basis: "the NAT's \(tuples)\(seconds) = \(CapacitySearch.text(ceiling))/s")
        }
        return best
    }

    /// Why no port budget runs down: the short-term maximum holds indefinitely.
    static func noBudget(_ d: RunDescription) -> String {
        if d.linger == .reset { return "SO_LINGER 0 leaves no TIME_WAIT, so no port budget runs down" }
        if d.close == .server {
            return "the server closes first and keeps TIME_WAIT, so this host's ports are never held"
        }
        if let p = d.prediction, p.reuseApplies { return p.reuseReason + ", so held ports come back" }
        return "no port budget is known"
    }
}
