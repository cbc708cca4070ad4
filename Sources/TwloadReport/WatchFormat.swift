import TwloadCensus
import TwloadModel

/// The CSV of `twload watch`: a socket-state census per interval, no load columns.
public enum WatchFormat {
    public static func header(_ views: CensusViews) -> String {
        var names = ["elapsed_s", "unix_ms", "tw_total", "tcp_inuse", "tcp_orphans"]
        if views.client != nil { names += CensusColumns.names("client") }
        if views.server != nil { names += CensusColumns.names("server") }
        if views.all { names += CensusColumns.names("all") }
        return (names + CensusColumns.counterNames).joined(separator: ",")
    }

    /// One row; `census` nil (a skipped sample) gives empty cells, never stale numbers.
    public static func row(_ views: CensusViews, elapsedSeconds: Double, unixMillis: Int64, census: CensusSample?,
                           delta: TimeWaitCounters?) -> String {
        var cells = [NumberText.fixed3(elapsedSeconds), String(unixMillis),
                     CSVFormat.cell(census?.sockstat?.timeWait), CSVFormat.cell(census?.sockstat?.inUse),
                     CSVFormat.cell(census?.sockstat?.orphans)]
        if views.client != nil { cells += CensusColumns.cells(census?.client) }
        if views.server != nil { cells += CensusColumns.cells(census?.server) }
        if views.all { cells += CensusColumns.cells(census?.all) }
        return (cells + CensusColumns.cells(delta)).joined(separator: ",")
    }
}
