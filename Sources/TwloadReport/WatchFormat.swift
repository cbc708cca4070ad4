import TwloadCensus
import TwloadModel

/// What one row of `twload watch` is made from.
public struct WatchRow: Sendable {
    public var elapsedSeconds: Double
    public var unixMillis: Int64
    /// The census of the row's boundary; nil for a skipped sample (its cells are empty, never stale).
    public var census: CensusSample?
    /// TIME_WAIT counter deltas since the previous row that had them.
    public var delta: TcpCounters?

    public init(elapsedSeconds: Double, unixMillis: Int64, census: CensusSample?, delta: TcpCounters?) {
        self.elapsedSeconds = elapsedSeconds
        self.unixMillis = unixMillis
        self.census = census
        self.delta = delta
    }
}

/// One column of `twload watch`'s CSV, declared once.
public struct WatchColumn: Sendable {
    /// Which census view a column belongs to: its columns appear only when that view is counted.
    public enum View: Sendable { case always, client, server, all }

    public let name: String
    public let unit: MetricUnit
    public let meaning: String
    public let view: View
    /// Columns of one family share one README row.
    public let family: String?
    public let cell: @Sendable (WatchRow) -> String
}

/// The CSV of `twload watch`: a socket-state census per interval, no load columns.
public enum WatchFormat {
    /// Every column, in order.
    public static let columns: [WatchColumn] =
        [
            WatchColumn(
                name: "elapsed_s", unit: .seconds, meaning: "End of the interval, from the start (3 decimals).",
                view: .always, family: nil
            ) { NumberText.fixed3($0.elapsedSeconds) },
            WatchColumn(
                name: "unix_ms", unit: .milliseconds, meaning: "Wall-clock time when the row was written (Unix epoch).",
                view: .always, family: nil
            ) { String($0.unixMillis) },
            WatchColumn(
                name: "tw_total", unit: .gauge,
                meaning: "Every TIME_WAIT socket in the network namespace, from `/proc/net/sockstat`.", view: .always,
                family: nil
            ) { Metric.cell($0.census?.sockstat?.timeWait) },
            WatchColumn(
                name: "tcp_inuse", unit: .gauge, meaning: "TCP sockets in use in the namespace (`/proc/net/sockstat`).",
                view: .always, family: nil
            ) { Metric.cell($0.census?.sockstat?.inUse) },
            WatchColumn(
                name: "tcp_orphans", unit: .gauge,
                meaning: "Orphaned TCP sockets (closed by their process, not yet gone) in the namespace.",
                view: .always, family: nil
            ) { Metric.cell($0.census?.sockstat?.orphans) },
        ]
        + states("client", .client, "With `--target`: sockets whose peer is HOST:PORT, per TCP state.") {
            $0?.client
        }
        + states("server", .server, "With `--port`: sockets whose local port is P, per TCP state.") { $0?.server }
        + states("all", .all, "With neither filter: every TCP socket in the namespace, per TCP state.") { $0?.all }
        + (CensusColumns.counters + CensusColumns.synCounters).map { c in
            WatchColumn(name: c.name, unit: .count, meaning: c.meaning, view: .always, family: nil) {
                Metric.cell($0.delta.map(c.read))
            }
        }

    /// The eight state columns of one view.
    static func states(
        _ prefix: String, _ view: WatchColumn.View, _ meaning: String,
        _ read: @escaping @Sendable (CensusSample?) -> StateCounts?
    ) -> [WatchColumn] {
        CensusColumns.states.map { state in
            WatchColumn(name: "\(prefix)_\(state.suffix)", unit: .gauge, meaning: meaning, view: view, family: prefix) {
                Metric.cell(read($0.census).map(state.count))
            }
        }
    }

    /// The columns `views` shows, in order.
    public static func columns(_ views: CensusViews) -> [WatchColumn] {
        columns.filter { c in
            switch c.view {
            case .always: true
            case .client: views.client != nil
            case .server: views.server != nil
            case .all: views.all
            }
        }
    }

    public static func header(_ views: CensusViews) -> String {
        columns(views).map(\.name).joined(separator: ",")
    }

    /// One row; a nil census (a skipped sample) gives empty cells, never stale numbers.
    public static func row(_ views: CensusViews, _ row: WatchRow) -> String {
        columns(views).map { $0.cell(row) }.joined(separator: ",")
    }
}
