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
        /// How many probes a `twload find` CSV had; 0 for any other CSV.
        public let probeCount: Int
    }

    /// Renders `csv` (named `csvFile` in the title and in errors). A run summary gives the predicted markers
    /// and plateaus, and the measured markers; a find summary (`"kind": "find"`) gives each probe's verdict
    /// and the search's result. No summary is used for a watch CSV.
    public static func render(
        csv: String, csvFile: String, summary: String? = nil, summaryFile: String = "summary.json",
        format: PlotFormat
    ) throws(PlotError) -> Output {
        let table = try CSVTable(text: csv, file: csvFile)
        let parsedSummary = try summary.map { text throws(PlotError) in try PlotSummary(text: text, file: summaryFile) }
        return try render(table, summary: parsedSummary, format: format)
    }

    /// Renders an already parsed table. A `twload find` CSV (told by its `probe` column) gets a run's panels
    /// with its probes laid end to end on one time axis and a marker at each probe's start.
    public static func render(
        _ table: CSVTable, summary: PlotSummary?, format: PlotFormat
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
        let layout = isWatch || !ProbeLayout.isFind(table) ? nil : try ProbeLayout(table, elapsed: times)
        let timeline = layout?.timeline ?? Timeline(run: times)
        var notes = table.notes + (layout?.notes ?? [])
        let panels: [Panel]
        var markers: [Marker] = []
        var captions: [String] = []
        var subtitle = isWatch ? "twload watch census, " : "twload run, "
        if isWatch {
            panels = try WatchPlot.panels(table, times: times)
            if summary != nil { notes.append("--summary is not used for a twload watch CSV") }
        } else {
            var runSummary = summary?.run
            if layout != nil, runSummary != nil {
                notes.append("--summary is a run's summary: it is not used for a twload find CSV")
                runSummary = nil
            }
            let find = summary?.find
            if layout == nil, find != nil {
                notes.append("--summary is a twload find summary, but the CSV has no probe column: no probe is marked")
            }
            panels = try RunPlot.panels(
                table, timeline: timeline, summary: runSummary, rateLines: ProbeMarks.rateLines(find))
            if let layout {
                // Only the probes are marked: a run's first EADDRNOTAVAIL or collapse onset, taken across
                // probes of different rates, marks nothing (each probe's are in the find summary).
                markers = ProbeMarks.markers(layout, summary: find)
                captions = [ProbeMarks.caption(layout, summary: find)]
                subtitle = "twload find, " + NumberText.counted(layout.probes.count, "probe") + ", "
            } else {
                (markers, captions) = try Markers.make(table: table, timeline: timeline, summary: runSummary)
            }
            if let find { subtitle += ProbeMarks.result(find) + "; " }
        }
        let span =
            "\(table.rowCount) rows, \(NumberText.twoDecimals(timeline.times.first ?? 0))–"
            + "\(NumberText.twoDecimals(timeline.times.last ?? 0)) s"
        var picture = Picture(
            title: "twload plot: " + (table.file.split(separator: "/").last.map(String.init) ?? table.file),
            subtitle: subtitle + span, captions: captions, panels: panels, markers: markers, timeline: timeline)
        if layout != nil { picture.timeLabel = "seconds since the search began, end of each interval" }
        let svg = picture.svg()
        let text = format == .svg ? svg : HTMLPage.wrap(svg, title: picture.title)
        return Output(
            text: text, notes: notes, panelIDs: panels.map(\.id), isWatch: isWatch,
            probeCount: layout?.probes.count ?? 0)
    }
}
