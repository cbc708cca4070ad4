import TwloadModel

/// What every summary JSON a plot reads shares: one top-level object with `"schema_version": 1`.
enum SummaryJSON {
    /// The top-level object of `text`; errors name `file` and, for a syntax error, the line.
    static func top(_ text: String, file: String) throws(PlotError) -> [String: JSONValue] {
        let root: JSONValue
        do {
            root = try JSONValue.parse(text)
        } catch {
            throw PlotError(file: file, line: error.line, "not JSON: \(error.message)")
        }
        guard case .object(let top) = root else { throw PlotError(file: file, "not a twload summary: not an object") }
        guard case .number(let version)? = top["schema_version"] else {
            throw PlotError(file: file, "not a twload summary: no number \"schema_version\"")
        }
        guard version == Double(RunSummary.schemaVersion) else {
            throw PlotError(
                file: file,
                "schema_version \(NumberText.compact(version)); this twload reads version \(RunSummary.schemaVersion)")
        }
        return top
    }
}
