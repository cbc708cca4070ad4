import TwloadStats

/// One interval of a log: its line's fields and its histogram.
public struct HistogramLogEntry: Sendable, Equatable {
    /// The line's `Tag=` prefix, if any.
    public var tag: String?
    /// The interval's start in seconds as written: from BaseTime when the log gives one.
    public var startSeconds: Double
    /// The interval's length in seconds.
    public var lengthSeconds: Double
    /// The histogram (microseconds), its largest value exact when the line's Interval_Max (milliseconds)
    /// lies in its top bucket: see `LatencyHistogram.init(highest:counts:maxRecorded:)`.
    public var histogram: LatencyHistogram

    public init(tag: String?, startSeconds: Double, lengthSeconds: Double, histogram: LatencyHistogram) {
        self.tag = tag
        self.startSeconds = startSeconds
        self.lengthSeconds = lengthSeconds
        self.histogram = histogram
    }
}

/// An interval log's content: the StartTime and BaseTime comments (Unix seconds), and the intervals in
/// the order of their lines.
public struct HistogramLog: Sendable, Equatable {
    public var startTime: Double?
    public var baseTime: Double?
    public var entries: [HistogramLogEntry]
}

/// Reads HdrHistogram interval logs: twload's (`HistogramLogWriter`) and those of Java's and Python's
/// writers. Comment lines (`#`) are skipped except `#[StartTime: ` and `#[BaseTime: `; so are the legend
/// and empty lines. Every interval line must read exactly, or the whole log is refused with the line's
/// number: a merge must not silently drop an interval.
public enum HistogramLogReader {
    /// The log in `text`, whose histograms must have twload's layout with `highest` (microseconds): every
    /// line scanned, then every histogram decoded.
    public static func read(
        _ text: String, highest: UInt64 = LatencyHistograms.highestMicros
    ) throws(HistogramLogError)
        -> HistogramLog
    {
        let raw = try scan(text, highest: highest)
        var entries: [HistogramLogEntry] = []
        entries.reserveCapacity(raw.entries.count)
        for e in raw.entries {
            entries.append(
                HistogramLogEntry(
                    tag: e.tag, startSeconds: e.startSeconds, lengthSeconds: e.lengthSeconds,
                    histogram: try e.decode(highest: highest)))
        }
        return HistogramLog(startTime: raw.startTime, baseTime: raw.baseTime, entries: entries)
    }

    /// The log in `text` with each line's fields read and checked but its histogram left encoded, to be
    /// decoded when needed (`RawHistogramLogEntry.decode`): a merge of hours of intervals keeps only the
    /// interval it is adding in memory.
    public static func scan(
        _ text: String, highest: UInt64 = LatencyHistograms.highestMicros
    ) throws(HistogramLogError) -> RawHistogramLog {
        var log = RawHistogramLog(startTime: nil, baseTime: nil, entries: [])
        var number = 0
        // By bytes: "\r\n" is one Character, which a split on "\n" would not cut, and bytes are much faster
        // than Characters for the hours of lines a merge reads.
        for bytes in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            number += 1
            let line = Substring(bytes.last == UInt8(ascii: "\r") ? bytes.dropLast() : bytes)
            if line.isEmpty || line.utf8.first == UInt8(ascii: "\"") && line.hasPrefix("\"StartTimestamp\"") {
                continue
            }
            if line.hasPrefix("#") {
                if let t = commentTime(line, key: "#[StartTime: ") { log.startTime = t }
                if let t = commentTime(line, key: "#[BaseTime: ") { log.baseTime = t }
                continue
            }
            do {
                log.entries.append(try entry(line, number: number, highest: highest))
            } catch {
                throw HistogramLogError(line: number, problem: error)
            }
        }
        return log
    }

    /// The interval on line `number`: `[Tag=tag,]start,length,max,histogram`, its histogram still encoded.
    static func entry(
        _ line: Substring, number: Int, highest: UInt64
    ) throws(HistogramLogError.Problem) -> RawHistogramLogEntry {
        var rest = line.utf8[...]
        var tag: String?
        if line.hasPrefix("Tag=") {
            let name = rest.dropFirst(4)
            guard let comma = name.firstIndex(of: UInt8(ascii: ",")), comma > name.startIndex else { throw .badTag }
            tag = String(Substring(name[..<comma]))
            rest = name[name.index(after: comma)...]
        }
        let fields = rest.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).map { Substring($0) }
        guard fields.count == 4 else { throw .fieldCount(fields.count) }
        let start = try self.number(fields[0], field: "start timestamp")
        let length = try self.number(fields[1], field: "interval length")
        let maxMillis = try self.number(fields[2], field: "interval max")
        let micros = (maxMillis * 1000).rounded()
        return RawHistogramLogEntry(
            line: number, tag: tag, startSeconds: start, lengthSeconds: length,
            maxMicros: micros <= Double(highest) ? UInt64(micros) : nil, payload: fields[3])
    }

    /// A non-negative decimal number (digits, at most one point, nothing else; at most 30 characters).
    static func number(_ text: Substring, field: String) throws(HistogramLogError.Problem) -> Double {
        let digits = text.utf8.filter { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }.count
        let points = text.utf8.filter { $0 == UInt8(ascii: ".") }.count
        guard digits > 0, points <= 1, digits + points == text.utf8.count, text.utf8.count <= 30,
            let value = Double(text)
        else { throw .badNumber(field: field, text: String(text)) }
        return value
    }

    /// The seconds after `key` in a `#[StartTime: 1700000000.123 (seconds since epoch), ...]` comment.
    static func commentTime(_ line: Substring, key: String) -> Double? {
        guard line.hasPrefix(key) else { return nil }
        let value = line.dropFirst(key.count).prefix { $0 != " " && $0 != "]" }
        return try? number(value, field: key)
    }
}
