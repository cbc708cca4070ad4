import TwloadModel

/// The CSV time series: the contract columns first (scripts and plots depend on their names and order),
/// then twload's extra columns.
public enum CSVFormat {
    /// The columns every consumer may rely on, in this order.
    public static let contractColumns = [
        "elapsed_s", "unix_ms", "target_rate", "attempted", "established", "completed", "failed", "missed",
        "eaddrnotavail", "eaddrinuse", "econnrefused", "etimedout", "econnreset", "emfile", "other_errors",
        "active_closes", "passive_closes", "open", "tw_client", "tw_server", "tw_total",
        "connect_p50_us", "connect_p99_us", "connect_max_us", "connect_call_p99_us", "connect_call_max_us",
        "lag_p99_us",
    ]

    /// Extra columns, after the contract ones.
    public static let extraColumns = [
        "connect_timeouts", "exchange_timeouts", "protocol_errors", "connect_call_p50_us", "lag_max_us",
        "server_accepted", "server_active_closes", "server_passive_closes", "server_resets",
    ] + CensusColumns.names("client") + CensusColumns.names("server") + CensusColumns.counterNames

    public static var header: String { (contractColumns + extraColumns).joined(separator: ",") }

    /// One row of values, in header order. Empty cells mean "not measured", never zero.
    public static func row(_ r: IntervalRow) -> String {
        let c = r.counters
        var cells: [String] = [
            NumberText.fixed3(r.elapsedSeconds), String(r.unixMillis), NumberText.rate(r.targetRate),
            String(c.attempted), String(c.established), String(c.completed), String(c.failed), String(c.missed),
            String(c.eaddrnotavail), String(c.eaddrinuse), String(c.econnrefused), String(c.etimedout),
            String(c.econnreset), String(c.emfile), String(c.otherErrors),
            String(c.activeCloses), String(c.passiveCloses), String(r.open),
            cell(r.timeWait.client), cell(r.timeWait.server), cell(r.timeWait.total),
            cell(r.latency.connect.percentileOrNil(50)), cell(r.latency.connect.percentileOrNil(99)),
            cell(r.latency.connect.maxOrNil),
            cell(r.latency.connectCall.percentileOrNil(99)), cell(r.latency.connectCall.maxOrNil),
            cell(r.latency.lag.percentileOrNil(99)),
        ]
        cells += [
            String(c.connectTimeouts), String(c.exchangeTimeouts), String(c.protocolErrors),
            cell(r.latency.connectCall.percentileOrNil(50)), cell(r.latency.lag.maxOrNil),
            cell(r.server?.accepted), cell(r.server?.activeCloses), cell(r.server?.passiveCloses),
            cell(r.server?.resets),
        ]
        cells += CensusColumns.cells(r.clientStates) + CensusColumns.cells(r.serverStates)
            + CensusColumns.cells(r.timeWaitDelta)
        return cells.joined(separator: ",")
    }

    static func cell<T: BinaryInteger>(_ v: T?) -> String { v.map { String($0) } ?? "" }
}
