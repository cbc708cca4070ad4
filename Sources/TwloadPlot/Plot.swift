import TwloadModel

/// `twload plot`: a run's CSV (and optionally its summary JSON) as one self-contained SVG or HTML file.
/// Pure: text in, text out. Reading and writing files, and saying anything on stderr, is the caller's.
public enum Plot {
    /// What a render made.
    public struct Output: Sendable {
        /// The SVG or HTML text.
        public let text: String
        /// Remarks for the user that are not errors (e.g. a torn last line left out).
        public let notes: [String]
        /// The panels' ids in order (`rate`, `time-wait`, `latency`, `errors` for a run).
        public let panelIDs: [String]
        /// Whether the CSV was a `twload watch` census.
        public let isWatch: Bool
    }

    /// Renders `csv` (named `csvFile` in the title and in errors). A summary gives the predicted markers and
    /// plateaus, and the measured markers; it is not used for a watch CSV.
    public static func render(
        csv: String, csvFile: String, summary: String? = nil, summaryFile: String = "summary.json",
        format: PlotFormat
    ) throws(PlotError) -> Output {
        let table = try CSVTable(text: csv, file: csvFile)
        let parsedSummary = try summary.map { text throws(PlotError) in try RunSummary(text: text, file: summaryFile) }
        return try render(table, summary: parsedSummary, format: format)
    }

    /// Renders an already parsed table.
    public static func render(
        _ table: CSVTable, summary: RunSummary?, format: PlotFormat
    ) throws(PlotError)
        -> Output
    {
        guard let elapsed = try table.numbers("elapsed_s") else {
            throw PlotError(file: table.file, line: 1, "no elapsed_s column: not a twload CSV")
        }
        var times: [Double] = []
        times.reserveCapacity(elapsed.count)
        for (i, t) in elapsed.enumerated() {
            guard let t else { throw PlotError(file: table.file, line: table.lineNumber(i), "elapsed_s is empty") }
            times.append(t)
        }
        let isWatch = WatchPlot.isWatch(table)
        let timeline = Timeline(run: times)
        var notes = table.notes
        let panels: [Panel]
        var markers: [Marker] = []
        var captions: [String] = []
        if isWatch {
            panels = try WatchPlot.panels(table, times: times)
            if summary != nil { notes.append("--summary is not used for a twload watch CSV") }
        } else {
            panels = try RunPlot.panels(table, timeline: timeline, summary: summary)
            (markers, captions) = try Markers.make(table: table, timeline: timeline, summary: summary)
        }
        let span =
            "\(table.rowCount) rows, \(NumberText.twoDecimals(times.first ?? 0))–"
            + "\(NumberText.twoDecimals(times.last ?? 0)) s"
        let picture = Picture(
            title: "twload plot: " + (table.file.split(separator: "/").last.map(String.init) ?? table.file),
            subtitle: (isWatch ? "twload watch census, " : "twload run, ") + span, captions: captions,
            panels: panels, markers: markers, timeline: timeline)
        let svg = picture.svg()
        let text = format == .svg ? svg : HTMLPage.wrap(svg, title: picture.title)
        return Output(text: text, notes: notes, panelIDs: panels.map(\.id), isWatch: isWatch)
    }
}
