import TwloadModel

/// The vertical markers of a run plot: the first EADDRNOTAVAIL and the collapse onset (the first interval
/// whose connect() call p99 exceeded 1 ms), each measured and predicted.
enum Markers {
    /// connect() calls slower than this mean the kernel is searching for a free port (as the summary's
    /// `first_slow_connect_s`).
    static let slowConnectCallMicros = 1000.0

    /// The markers, and the caption lines that explain them. Measured moments come from the summary when
    /// given (`first_eaddrnotavail_s`, `first_slow_connect_s`), else from the CSV: the start of the first
    /// row with `eaddrnotavail` > 0, or with `connect_call_p99_us` > 1000. Predictions come only from the
    /// summary (`predicted_first_eaddrnotavail_s`, `predicted_slow_connect_s`). "Never" (null, +∞) and
    /// absent values draw nothing; the caption says which.
    static func make(
        table: CSVTable, timeline: Timeline, summary: RunSummary?
    ) throws(PlotError) -> (
        markers: [Marker], captions: [String]
    ) {
        let times = timeline.times
        let starts = timeline.starts
        func firstStart(_ column: String, above threshold: Double) throws(PlotError) -> Double? {
            guard let values = try table.numbers(column) else { return nil }
            guard let i = values.firstIndex(where: { ($0 ?? 0) > threshold }) else { return nil }
            return min(starts[i], times[i])
        }
        let kinds:
            [(
                tag: String, name: String, color: String, measured: String, predicted: String, column: String,
                threshold: Double
            )] = [
                (
                    "EADDRNOTAVAIL", "first EADDRNOTAVAIL", Palette.red, "first_eaddrnotavail_s",
                    "predicted_first_eaddrnotavail_s", "eaddrnotavail", 0
                ),
                (
                    "slow connect()", "collapse onset (connect() call p99 > 1 ms)", Palette.purple,
                    "first_slow_connect_s",
                    "predicted_slow_connect_s", "connect_call_p99_us", slowConnectCallMicros
                ),
            ]
        var markers: [Marker] = []
        var captions: [String] = []
        for kind in kinds {
            var parts: [String] = []
            let measured: Double?
            if let summary, summary.metrics[kind.measured] != nil {
                measured = summary.finite(kind.measured)
                parts.append("measured " + (measured.map(seconds) ?? "never") + " (summary)")
            } else {
                measured = try firstStart(kind.column, above: kind.threshold)
                let known = table.has(kind.column)
                parts.append(
                    "measured "
                        + (measured.map { seconds($0) + " (start of its CSV row)" }
                            ?? (known ? "never" : "unknown (no \(kind.column) column)")))
            }
            if let m = measured {
                markers.append(
                    Marker(
                        tag: kind.tag, caption: kind.name + ", measured", seconds: m, color: kind.color,
                        predicted: false))
            }
            if let summary, summary.metrics[kind.predicted] != nil {
                let predicted = summary.finite(kind.predicted)
                parts.append("predicted " + (predicted.map(seconds) ?? "never") + " (dashed)")
                if let p = predicted {
                    markers.append(
                        Marker(
                            tag: kind.tag + " predicted", caption: kind.name + ", predicted", seconds: p,
                            color: kind.color,
                            predicted: true))
                }
            }
            captions.append(kind.name + ": " + parts.joined(separator: ", "))
        }
        return (markers, captions)
    }

    /// "7.06 s".
    static func seconds(_ v: Double) -> String { NumberText.twoDecimals(v) + " s" }
}
