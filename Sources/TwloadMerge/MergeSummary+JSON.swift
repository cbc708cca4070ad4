import TwloadModel
import TwloadVersion

/// The merged summary as JSON (`twload merge --summary-json`), documented by `docs/merge.schema.json`.
extension MergeSummary {
    public static let schemaVersion = 1

    public var json: JSONNode {
        let agentNodes: [JSONNode] = agents.map { a in
            .object([
                ("index", .int(a.index)),
                ("folder", .string(a.folder)),
                ("rows", .int(a.rows)),
                ("last_interval", a.lastInterval.map { .int($0) } ?? .null),
                ("exit_reason", .string(a.exitReason)),
                ("late_s", .number(a.lateSeconds)),
                ("clock_synchronised", a.synchronised.map { .bool($0) } ?? .null),
                ("clock_estimated_error_us", a.estimatedErrorMicros.map { .int($0) } ?? .null),
            ])
        }
        let totalNodes: [(String, JSONNode)] = totals.map { t in
            (
                t.name,
                .object([
                    ("unit", .string(t.unit.rawValue)), ("aggregate", .string(t.aggregate)),
                    ("value", t.value.isEmpty ? .null : .number(Double(t.value))),
                ])
            )
        }
        return .object([
            ("schema_version", .int(Self.schemaVersion)),
            ("kind", .string("merge")),
            ("twload_version", .string(TwloadVersion.description)),
            ("run_id", .string(runID)),
            ("interval_s", .number(intervalSeconds)),
            ("agents_expected", .int(agentsExpected)),
            ("agents_reporting", .int(agentsReporting)),
            ("intervals", .int(intervals)),
            ("partial", .bool(isPartial)),
            ("partial_reasons", .array(partialReasons.map { .string($0) })),
            ("warnings", .array(warnings.map { .string($0) })),
            ("agents", .array(agentNodes)),
            ("watch_files", .array(watchFiles.map { .string($0) })),
            ("totals", .object(totalNodes)),
        ])
    }
}
