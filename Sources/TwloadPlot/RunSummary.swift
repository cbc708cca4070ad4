import TwloadModel

/// The figures of a run's summary JSON (`--summary-json`) that a plot uses. The contract relied on: a
/// top-level object with `"schema_version": 1` and `"metrics": { name: number or null }`, where the names are
/// twload's run metrics and null stands for +infinity ("never"). Every other key is ignored.
public struct RunSummary: Sendable, Equatable {
    /// The schema version this reader understands.
    public static let schemaVersion = 1

    /// Each metric's value; `.infinity` where the file says null ("never").
    public let metrics: [String: Double]

    public init(metrics: [String: Double]) {
        self.metrics = metrics
    }

    /// Reads a summary JSON; errors name `file` and the line.
    public init(text: String, file: String) throws(PlotError) {
        try self.init(top: SummaryJSON.top(text, file: file), file: file)
    }

    /// Reads the top-level object of a summary JSON whose `schema_version` is already checked.
    init(top: [String: JSONValue], file: String) throws(PlotError) {
        guard case .object(let entries)? = top["metrics"] else {
            throw PlotError(file: file, "not a twload summary: no \"metrics\" object")
        }
        var metrics: [String: Double] = [:]
        for (name, value) in entries {
            switch value {
            case .number(let v): metrics[name] = v
            case .null: metrics[name] = .infinity
            default: throw PlotError(file: file, "metrics.\(name): a number or null was expected")
            }
        }
        self.metrics = metrics
    }

    /// A metric's finite value: nil when absent or +infinity ("never": nothing to mark).
    public func finite(_ name: String) -> Double? {
        guard let v = metrics[name], v.isFinite else { return nil }
        return v
    }
}
