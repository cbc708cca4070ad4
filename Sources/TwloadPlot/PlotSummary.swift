import TwloadModel

/// A summary JSON given to `twload plot --summary`: a run's (`twload run --summary-json`) or a capacity
/// search's (`twload find`), told apart by the find summary's `"kind": "find"`.
public enum PlotSummary: Sendable, Equatable {
    case run(RunSummary)
    case find(FindSummary)

    /// Reads a summary JSON of either kind; errors name `file` and, where there is one, the line.
    public init(text: String, file: String) throws(PlotError) {
        let top = try SummaryJSON.top(text, file: file)
        if case .string(FindSummary.kind)? = top["kind"] {
            self = .find(try FindSummary(top: top, file: file))
        } else {
            self = .run(try RunSummary(top: top, file: file))
        }
    }

    /// The run summary, or nil for a find summary.
    var run: RunSummary? { if case .run(let s) = self { s } else { nil } }

    /// The find summary, or nil for a run summary.
    var find: FindSummary? { if case .find(let s) = self { s } else { nil } }
}
