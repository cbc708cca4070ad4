import TwloadConfig
import TwloadModel
import TwloadReport
import TwloadVersion

/// The JSON summary of `twload find` (`--summary-json`): the search's settings, every probe with its
/// criteria verdicts, what bounded it and its run metrics, and the result. `docs/find.schema.json` is its
/// schema.
public enum FindDocument {
    public static func render(
        _ r: FindResult, find: FindConfiguration, config: RunConfiguration, lab: Bool
    )
        -> JSONNode
    {
        let first = r.probes.first?.run
        var configuration = SummaryDocument.configuration(
            config, target: first?.description.target,
            builtin: first?.description.builtinServer ?? (config.target == nil))
        if case .object(var fields) = configuration {
            // Each probe has its own schedule, in its entry.
            fields.removeAll { $0.0 == "schedule" || $0.0 == "thresholds" }
            configuration = .object(fields)
        }
        return .object([
            ("schema_version", .int(SummaryDocument.schemaVersion)),
            ("kind", .string("find")),
            ("twload_version", .string(TwloadVersion.description)),
            ("configuration", configuration),
            (
                "search",
                .object([
                    ("criteria", .array(find.criteria.map { .string($0.text) })),
                    ("dwell_s", .number(Double(find.dwellNanos) / 1e9)),
                    ("min_rate", .number(find.minimumRate)),
                    ("max_rate", .number(find.maximumRate)),
                    ("resolution", .number(find.resolution)),
                    ("confirm_s", .number(find.confirmNanos.map { Double($0) / 1e9 })),
                    ("fresh_namespace_per_probe", .bool(lab)),
                ])
            ),
            ("kernel", first.map { SummaryDocument.kernel($0.kernel) } ?? .null),
            ("probes", .array(r.probes.map { probe($0, criteria: find.criteria) })),
            ("result", result(r)),
            ("signal", r.signal.map { .int(Int($0)) } ?? .null),
        ])
    }

    static func probe(_ p: ProbeOutcome, criteria expressions: [Threshold]) -> JSONNode {
        let values = MetricTable.runValues(RunFigures(totals: p.run.totals, description: p.run.description))
        let metrics: [(String, JSONNode)] = MetricTable.all.filter { $0.total != nil }.map { m in
            (m.name, .number(values[m.name]))
        }
        let criteria: [JSONNode] = zip(expressions, p.run.thresholds).map { expression, outcome in
            .object([
                ("expression", .string(expression.text)),
                ("verdict", .string(SummaryDocument.verdictName(outcome.verdict))),
                ("left", .number(outcome.left)), ("right", .number(outcome.right)),
            ])
        }
        return .object([
            ("probe", .int(p.index)),
            ("role", .string(p.role.rawValue)),
            ("rate", .number(p.rate)),
            ("seconds", .number(p.seconds)),
            ("held", .bool(p.held)),
            ("limited_by", .string(p.bound?.rawValue)),
            ("evidence", .string(p.evidence)),
            ("waited_s", .number(p.waitedSeconds)),
            ("criteria", .array(criteria)),
            ("why", .string(SummaryReport.why(p.run.totals, p.run.description))),
            ("metrics", .object(metrics)),
        ])
    }

    static func result(_ r: FindResult) -> JSONNode {
        .object([
            ("max_rate", .number(r.maximum)),
            ("held_at_max", .bool(r.heldAtMaximum)),
            ("limited_by", .string(r.limitingProbe?.bound?.rawValue)),
            ("limiting_probe", r.limitingProbe.map { .int($0.index) } ?? .null),
            ("sustainable_rate", .number(r.sustained?.rate)),
            ("sustainable_limited_by", .string(r.sustained?.bound?.rawValue)),
            ("sustainable_basis", .string(r.sustained?.basis)),
            ("confirmed_rate", .number(r.confirmedRate)),
        ])
    }
}
