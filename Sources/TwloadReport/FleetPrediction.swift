import TwloadModel

/// `twload check --agents N`: what a fleet of N agents (`run --agent I/N`, each on its own host with the
/// same options) does to its port space. Each agent runs rate/N with its own ports, so each one's port
/// budget, first EADDRNOTAVAIL and slowdown are those of one agent's prediction; the fleet's budget and the
/// connections it makes before ports run out are N times an agent's, at the same moment.
public struct FleetPrediction: Sendable {
    public var agents: Int
    /// The whole fleet's rate, and each agent's share.
    public var fleetRate: Double
    public var agentRate: Double
    /// One agent's ports toward the target (per source address times addresses), and the fleet's.
    public var agentPortBudget: Int
    public var fleetPortBudget: Int
    /// When an agent's (and so the fleet's) ports run out, and the connections made by then.
    public var firstEaddrnotavailSeconds: Double?
    public var agentConnectionsBeforeExhaustion: Int?
    public var fleetConnectionsBeforeExhaustion: Int?
    /// When connect() starts to slow on each agent (the even half of its range held).
    public var slowConnectSeconds: Double?
    /// The fleet's rate its port spaces sustain without reuse.
    public var fleetSustainableRate: Double

    /// The fleet of `agents` whose agent 0 `perAgent` predicts (made with the agent's share of the rate).
    public init(_ perAgent: Prediction, agents: Int, fleetRate: Double) {
        self.agents = agents
        self.fleetRate = fleetRate
        agentRate = fleetRate / Double(max(1, agents))
        agentPortBudget = perAgent.portsPerAddress * max(1, perAgent.addresses)
        fleetPortBudget = agentPortBudget * agents
        firstEaddrnotavailSeconds = perAgent.firstEaddrnotavailSeconds
        let rate = agentRate
        agentConnectionsBeforeExhaustion = perAgent.firstEaddrnotavailSeconds.map { Int(($0 * rate).rounded()) }
        fleetConnectionsBeforeExhaustion = agentConnectionsBeforeExhaustion.map { $0 * agents }
        slowConnectSeconds = perAgent.slowConnectSeconds
        fleetSustainableRate = perAgent.sustainableRate * Double(agents)
    }

    /// The check's fleet block, each line ending in a newline.
    public var text: String {
        let seconds = { (s: Double) in NumberText.twoDecimals(s) + " s" }
        var lines = [
            "fleet: \(agents) agents (run --agent I/\(agents)), each on its own host: \(NumberText.decimals3(agentRate))/s "
                + "each of \(NumberText.rate(fleetRate))/s",
            "  port budget: \(agents) × \(agentPortBudget) ports = \(fleetPortBudget) (each agent's own range and "
                + "source addresses)",
            "  sustainable without TIME_WAIT reuse: \(NumberText.perSecond(fleetSustainableRate))/s for the fleet",
        ]
        if let t = firstEaddrnotavailSeconds, let a = agentConnectionsBeforeExhaustion,
            let f = fleetConnectionsBeforeExhaustion
        {
            lines.append("  per agent: EADDRNOTAVAIL from \(seconds(t)), after about \(a) connections")
            lines.append("  in total: EADDRNOTAVAIL from \(seconds(t)) on every agent, after about \(f) connections")
        } else {
            lines.append("  per agent and in total: no EADDRNOTAVAIL predicted")
        }
        if let s = slowConnectSeconds { lines.append("  connect() slows from \(seconds(s)) on every agent") }
        return lines.joined(separator: "\n") + "\n"
    }
}
