import TwloadModel

/// The one-line live status shown on a terminal.
public enum LiveStatus {
    public static func line(_ r: IntervalRow) -> String {
        let c = r.counters
        var s =
            "\(NumberText.fixed3(r.elapsedSeconds))s  attempted \(c.attempted)  established \(c.established)"
            + "  failed \(c.failed)  missed \(c.missed)  open \(r.open)"
        if let tw = r.timeWait.total { s += "  tw \(tw)" }
        if let p = r.latency.connectCall.percentileOrNil(99) { s += "  connect() p99 \(p)us" }
        return s
    }
}
