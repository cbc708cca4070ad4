import TwloadModel

/// How the live status line is shown during a run.
public enum LiveStatusDisplay: Sendable, Equatable {
    /// Not at all.
    case hidden
    /// Redrawn in place on one terminal line, cut to the terminal's width.
    case inPlace
    /// One plain line per interval, each ending in a newline, with no escape codes.
    case lines

    /// The rule: `--quiet` hides it; `--progress` shows it, in place when stderr is a terminal of its own and
    /// as plain lines otherwise (on a pipe, or on the terminal the CSV goes to, where a line redrawn in
    /// place would have the next row glued onto it). Without either, it is shown only when stderr is a
    /// terminal and the CSV does not go to that same terminal, so that CSV on a terminal stays clean.
    public static func choose(
        quiet: Bool, progress: Bool, stderrIsTerminal: Bool, csvOnSameTerminal: Bool
    ) -> LiveStatusDisplay {
        if quiet { return .hidden }
        let ownTerminal = stderrIsTerminal && !csvOnSameTerminal
        if progress { return ownTerminal ? .inPlace : .lines }
        return ownTerminal ? .inPlace : .hidden
    }
}

/// The one-line live status of a run, after each interval.
public enum LiveStatus {
    /// What the user watches: time, established, failed, missed, TIME_WAIT and the connect latency from the
    /// schedule (`connect_p99_us`), e.g. "7.000s  established 2000  failed 0  missed 0  tw 14000  connect
    /// p99 87 us". ASCII only; fields are two spaces apart.
    public static func line(_ r: IntervalRow) -> String {
        let c = r.counters
        var fields = [
            "\(NumberText.fixed3(r.elapsedSeconds))s", "established \(c.established)", "failed \(c.failed)",
            "missed \(c.missed)",
        ]
        if let tw = r.timeWait.total { fields.append("tw \(tw)") }
        if let p = r.latency.connect.percentileOrNil(99) { fields.append("connect p99 \(SummaryReport.us(p))") }
        return fields.joined(separator: fieldSeparator)
    }

    static let fieldSeparator = "  "

    /// `line` cut to fit `columns - 1` columns, so that the cursor never reaches the last column and the
    /// terminal never wraps: whole fields are dropped from the end, and a first field too long is cut.
    /// Anything outside printable ASCII becomes `?`, so one byte is one column.
    public static func fitted(_ line: String, columns: Int) -> String {
        let width = max(0, columns - 1)
        let ascii = printable(line)
        if ascii.utf8.count <= width { return ascii }
        var fields = ascii.split(separator: fieldSeparator, omittingEmptySubsequences: false).map(String.init)
        while fields.count > 1 && fields.joined(separator: fieldSeparator).utf8.count > width { fields.removeLast() }
        return String(fields.joined(separator: fieldSeparator).prefix(width))
    }

    /// The bytes that redraw `line` in place on a terminal `columns` wide: carriage return, erase to the end
    /// of the line (ESC [ K), then the line cut to fit.
    public static func redraw(_ line: String, columns: Int) -> String {
        "\r\u{1B}[K" + fitted(line, columns: columns)
    }

    /// `line` as one plain line, for a pipe or a file: no escape codes, a newline at the end.
    public static func plain(_ line: String) -> String {
        printable(line) + "\n"
    }

    /// `text` with every scalar outside printable ASCII (controls, escapes, UTF-8) replaced by `?`.
    static func printable(_ text: String) -> String {
        String(text.unicodeScalars.map { (0x20..<0x7F).contains($0.value) ? Character($0) : "?" })
    }
}
