/// Which share of a fleet's schedule this process runs (`--agent I/N`): agent `index` of `count` takes the
/// arrivals k ≡ index (mod count) of the one schedule, so that the N agents together make exactly the
/// arrivals one process would. `0/1` is a run on its own.
public struct AgentSlot: Sendable, Equatable, CustomStringConvertible {
    /// From 0, as Kubernetes' `JOB_COMPLETION_INDEX` counts.
    public let index: Int
    public let count: Int

    /// A run on its own: the whole schedule.
    public static let alone = AgentSlot(index: 0, count: 1)

    /// `index` must be in 0..<count and `count` at least 1 (the parser checks; this clamps).
    public init(index: Int, count: Int) {
        self.count = max(1, count)
        self.index = min(max(0, index), self.count - 1)
    }

    /// The share of a fleet-wide rate this agent runs.
    public func share(of rate: Double) -> Double { rate / Double(count) }

    /// "2/4".
    public var description: String { "\(index)/\(count)" }
}
