import TwloadCensus
import TwloadConfig
import TwloadModel
import TwloadVersion

/// A fleet agent's part of its JSON summary (`run --out`, `agent-I.json`): the manifest `twload merge`
/// reads beside the agent's CSV and histogram logs.
extension SummaryDocument {
    /// The `agent` object: place, run name, start against the shared start, clock status and exit reason.
    static func agent(_ a: AgentRecord, intervalNanos: Int64) -> JSONNode {
        .object([
            ("run_id", .string(a.runID)),
            ("index", .int(a.slot.index)),
            ("count", .int(a.slot.count)),
            ("start_at", .string(a.startAt?.description)),
            ("start_at_unix_ns", a.startAt.map { .int(Int($0.unixNanos)) } ?? .null),
            ("origin", .string(a.origin.description)),
            ("origin_unix_ns", .int(Int(a.origin.unixNanos))),
            ("interval_s", .number(Double(intervalNanos) / 1e9)),
            ("late_s", .number(Double(a.lateNanos) / 1e9)),
            (
                "clock",
                .object([
                    ("synchronised", a.clock.map { .bool($0.synchronised) } ?? .null),
                    ("estimated_error_us", a.clock.map { .int(Int($0.estimatedErrorMicros)) } ?? .null),
                    ("max_error_us", a.clock.map { .int(Int($0.maximumErrorMicros)) } ?? .null),
                    ("error", .string(a.clockError)),
                ])
            ),
            ("exit_reason", .string(a.exitReason)),
        ])
    }

    /// The summary of an agent that started too late to join (`--max-late`): what it was asked to do and
    /// why it recorded nothing.
    public static func late(_ a: AgentRecord, config: RunConfiguration, kernel: KernelSettings) -> JSONNode {
        .object([
            ("schema_version", .int(schemaVersion)),
            ("kind", .string("late")),
            ("twload_version", .string(TwloadVersion.description)),
            (
                "configuration",
                configuration(config, target: config.target?.address.description, builtin: config.target == nil)
            ),
            ("kernel", SummaryDocument.kernel(kernel)),
            ("prediction", .null),
            ("agent", agent(a, intervalNanos: config.intervalNanos)),
        ])
    }
}
