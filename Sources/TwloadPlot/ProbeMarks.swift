import TwloadModel

/// What a `twload find` CSV adds to a run plot: a marker at each probe's start, tagged with its number and
/// rate ("#3 400/s", and ✓ held or ✗ failed with a find summary), and the search's result as horizontal
/// lines on the rates panel.
enum ProbeMarks {
    /// The probe markers' colour: apart from the run markers' red and purple.
    static let color = Palette.grey
    /// Their tags take this many rows above the plot, in turn, so neighbouring probes' tags do not overlap.
    static let tagRows = 3

    /// A marker at the start of each probe. The rate is the summary's when it gives one, else the probe's
    /// `target_rate`.
    static func markers(_ layout: ProbeLayout, summary: FindSummary?) -> [Marker] {
        layout.probes.enumerated().map { i, span in
            let told = summary?.probe(span.number)
            let rate = told?.rate ?? span.targetRate
            var tag = "#\(span.number)"
            var caption = "probe \(span.number)"
            if let role = told?.role { caption += " (\(role))" }
            if let rate {
                tag += " " + perSecond(rate)
                caption += ", " + perSecond(rate)
            }
            switch told?.held {
            case true?:
                tag += " ✓"
                caption += ", held"
            case false?:
                tag += " ✗"
                caption += ", failed"
            case nil: break
            }
            if let limit = told?.limitedBy { caption += ", limited by \(limit)" }
            return Marker(
                tag: tag, caption: caption, seconds: span.start, color: color, predicted: false,
                tagRow: i % tagRows)
        }
    }

    /// The caption line that explains the probe markers.
    static func caption(_ layout: ProbeLayout, summary: FindSummary?) -> String {
        let probes = NumberText.counted(layout.probes.count, "probe")
        guard summary != nil else { return "probe starts (grey, \(probes)): number and target_rate" }
        return "probe starts (grey, \(probes)): number and rate, ✓ held, ✗ failed (summary)"
    }

    /// The search's result on the rates panel: `max_rate` and `sustainable_rate`, where the summary has them.
    static func rateLines(_ summary: FindSummary?) -> [ReferenceLine] {
        var lines: [ReferenceLine] = []
        if let v = summary?.maxRate, v.isFinite {
            lines.append(ReferenceLine(value: v, label: "max " + perSecond(v), color: Palette.olive))
        }
        if let v = summary?.sustainableRate, v.isFinite {
            lines.append(ReferenceLine(value: v, label: "sustainable " + perSecond(v), color: Palette.cyan))
        }
        return lines
    }

    /// The result in words for the subtitle: "max 200/s, sustainable 16.7/s, limited by host_ports".
    static func result(_ summary: FindSummary) -> String {
        var parts = [
            "max " + (summary.maxRate.map(perSecond) ?? "none"),
            "sustainable " + (summary.sustainableRate.map(perSecond) ?? "none"),
        ]
        if let limit = summary.limitedBy { parts.append("limited by " + limit) }
        return parts.joined(separator: ", ")
    }

    /// A rate to one decimal, without a needless one: "400/s", "16.7/s".
    static func perSecond(_ v: Double) -> String {
        NumberText.compact(v.magnitude < 1e14 ? (v * 10).rounded() / 10 : v) + "/s"
    }
}
