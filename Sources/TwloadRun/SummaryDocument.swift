import TwloadCensus
import TwloadConfig
import TwloadModel
import TwloadReport
import TwloadVersion

/// The JSON summary (`--summary-json`): what the run was asked to do, the kernel settings it met, every
/// metric from the metric table, every CSV column summed up, the predictions beside the measurements, each
/// threshold's verdict, and the plain-words explanation with the side it blames (`limited_by`). README "JSON summary" documents it, and
/// `docs/summary.schema.json` is its schema; `schemaVersion` changes when a field changes meaning or goes.
public enum SummaryDocument {
    public static let schemaVersion = 1

    /// The summary of a finished run.
    public static func run(_ r: RunResult, config: RunConfiguration) -> JSONNode {
        let figures = RunFigures(totals: r.totals, description: r.description)
        let explanation = SummaryReport.explain(r.totals, r.description)
        let values = MetricTable.runValues(figures)
        let metrics: [(String, JSONNode)] = MetricTable.all.filter { $0.total != nil }.map { m in
            (m.name, .number(values[m.name]))
        }
        let columns: [(String, JSONNode)] = r.columns.values(figures).map { c in
            (
                c.metric.name,
                .object([
                    ("unit", .string(c.metric.unit.rawValue)), ("aggregate", .string(c.aggregate.rawValue)),
                    ("value", .number(c.value)),
                ])
            )
        }
        let thresholds: [JSONNode] = zip(config.thresholds, r.thresholds).map { t, outcome in
            .object([
                ("expression", .string(t.text)), ("verdict", .string(verdictName(outcome.verdict))),
                ("left", .number(outcome.left)), ("right", .number(outcome.right)),
            ])
        }
        return .object(
            [
                ("schema_version", .int(schemaVersion)),
                ("kind", .string("run")),
                ("twload_version", .string(TwloadVersion.description)),
                (
                    "configuration",
                    configuration(config, target: r.description.target, builtin: r.description.builtinServer)
                ),
                ("kernel", kernel(r.kernel)),
                ("prediction", prediction(r.description.prediction)),
                ("comparisons", .array(PredictionCheck.compare(r.totals, r.description).map(comparison))),
                ("metrics", .object(metrics)),
                ("columns", .object(columns)),
                ("thresholds", .array(thresholds)),
                ("thresholds_held", .bool(r.thresholdsHeld)),
                ("signal", r.signal.map { .int(Int($0)) } ?? .null),
                ("why", .string(explanation.text)),
                ("limited_by", .string(explanation.limitedBy?.rawValue)),
            ] + (r.agent.map { [("agent", agent($0, intervalNanos: config.intervalNanos))] } ?? []))
    }

    /// `twload check`'s summary: the prediction alone, and its verdict on the run's duration.
    public static func check(_ c: CheckResult, config: RunConfiguration) -> JSONNode {
        .object(
            [
                ("schema_version", .int(schemaVersion)),
                ("kind", .string("check")),
                ("twload_version", .string(TwloadVersion.description)),
                (
                    "configuration",
                    configuration(config, target: config.target?.address.description, builtin: config.target == nil)
                ),
                ("kernel", kernel(c.inputs.kernel)),
                ("prediction", prediction(c.prediction)),
                ("trouble_within_duration", .bool(c.verdict.troubleWithinRun)),
                ("verdict", .string(c.verdict.line)),
            ] + (c.fleet.map { [("fleet", fleet($0))] } ?? []))
    }

    /// `check --agents N`'s fleet block.
    static func fleet(_ f: FleetPrediction) -> JSONNode {
        .object([
            ("agents", .int(f.agents)),
            ("fleet_rate", .number(f.fleetRate)),
            ("agent_rate", .number(f.agentRate)),
            ("agent_port_budget", .int(f.agentPortBudget)),
            ("fleet_port_budget", .int(f.fleetPortBudget)),
            ("first_eaddrnotavail_s", .number(f.firstEaddrnotavailSeconds)),
            ("agent_connections_before_exhaustion", f.agentConnectionsBeforeExhaustion.map { .int($0) } ?? .null),
            ("fleet_connections_before_exhaustion", f.fleetConnectionsBeforeExhaustion.map { .int($0) } ?? .null),
            ("slow_connect_s", .number(f.slowConnectSeconds)),
            ("fleet_sustainable_rate", .number(f.fleetSustainableRate)),
        ])
    }

    static func verdictName(_ v: ThresholdOutcome.Verdict) -> String {
        switch v {
        case .pass: "pass"
        case .fail: "fail"
        case .unknown: "unknown"
        }
    }

    /// The options as given (or their defaults' text), the schedule and the thresholds.
    static func configuration(_ config: RunConfiguration, target: String?, builtin: Bool) -> JSONNode {
        let options: [(String, JSONNode)] = config.optionTexts.map { spec, texts in
            guard let texts else { return (spec.name, .null) }
            return (spec.name, spec.isRepeatable ? .array(texts.map { .string($0) }) : .string(texts.last))
        }
        let stages: [JSONNode] = config.schedule.stages.map { s in
            .object([("from_rate", .number(s.from)), ("to_rate", .number(s.to)), ("seconds", .number(s.seconds))])
        }
        return .object([
            ("target", .string(target)),
            ("builtin_server", .bool(builtin)),
            ("threads", .int(config.threads)),
            ("options", .object(options)),
            ("schedule", .array(stages)),
            ("thresholds", .array(config.thresholds.map { .string($0.text) })),
        ])
    }

    static func kernel(_ k: KernelSettings) -> JSONNode {
        .object([
            ("ip_local_port_range", .string(k.localPortRange.map { "\($0.low) \($0.high)" })),
            ("ip_local_reserved_ports", .array(k.reservedPorts.map { .string($0.description) })),
            ("tcp_tw_reuse", k.twReuse.map { .int($0) } ?? .null),
            ("tcp_tw_reuse_delay_ms", k.twReuseDelayMillis.map { .int($0) } ?? .null),
            ("tcp_max_tw_buckets", k.maxTimeWaitBuckets.map { .int($0) } ?? .null),
            ("tcp_fin_timeout_s", k.finTimeout.map { .int($0) } ?? .null),
        ])
    }

    static func prediction(_ p: Prediction?) -> JSONNode {
        guard let p else { return .null }
        return .object([
            ("ports_per_address", .int(p.portsPerAddress)),
            ("source_addresses", .int(p.addresses)),
            ("reserved_ports_excluded", .int(p.reservedExcluded)),
            ("reuse_applies", .bool(p.reuseApplies)),
            ("reuse_reason", .string(p.reuseReason)),
            ("time_wait_side", .string(p.timeWaitSide?.rawValue)),
            ("steady_tw_client", .int(p.steadyClientTimeWait)),
            ("steady_tw_server", .int(p.steadyServerTimeWait)),
            ("sustainable_rate", .number(p.sustainableRate)),
            ("slow_connect_s", .number(p.slowConnectSeconds)),
            ("collapsed_rate", .number(p.collapsedRate)),
            ("first_eaddrnotavail_s", .number(p.firstEaddrnotavailSeconds)),
            ("tw_overflow_s", .number(p.overflowSeconds)),
        ])
    }

    static func comparison(_ c: PredictionComparison) -> JSONNode {
        .object([
            ("metric", .string(c.metric)), ("label", .string(c.label)), ("unit", .string(c.unit.rawValue)),
            ("predicted", .number(c.predicted)), ("measured", .number(c.measured)),
            ("verdict", .string(c.verdict.rawValue)), ("reason", .string(c.reason)),
        ])
    }
}
