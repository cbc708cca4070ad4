import TwloadStats

/// One interval line of a log, read but with its histogram still encoded (`HistogramLogReader.scan`).
public struct RawHistogramLogEntry: Sendable {
    /// The 1-based line in the log, for errors.
    public var line: Int
    /// The line's `Tag=` prefix, if any.
    public var tag: String?
    /// The interval's start in seconds as written: from BaseTime when the log gives one.
    public var startSeconds: Double
    /// The interval's length in seconds.
    public var lengthSeconds: Double
    /// The line's Interval_Max in microseconds, when it is within the layout's range.
    public var maxMicros: UInt64?
    /// The base64 of the encoded histogram.
    public var payload: Substring

    /// The histogram (microseconds), its largest value exact when Interval_Max lies in its top bucket.
    public func decode(highest: UInt64 = LatencyHistograms.highestMicros) throws(HistogramLogError) -> LatencyHistogram
    {
        do {
            return try HistogramCodec.decode(base64: payload, highest: highest, maxRecorded: maxMicros)
        } catch {
            throw HistogramLogError(line: line, problem: .histogram(error))
        }
    }
}

extension RawHistogramLogEntry {
    /// Adds the histogram into `histogram` as it decodes it (see `HistogramCodec.add`).
    public func add(into histogram: inout LatencyHistogram) throws(HistogramLogError) {
        do {
            try HistogramCodec.add(base64: payload, into: &histogram, maxRecorded: maxMicros)
        } catch {
            throw HistogramLogError(line: line, problem: .histogram(error))
        }
    }
}

/// An interval log scanned but not decoded: the StartTime and BaseTime comments (Unix seconds), and the
/// interval lines in order.
public struct RawHistogramLog: Sendable {
    public var startTime: Double?
    public var baseTime: Double?
    public var entries: [RawHistogramLogEntry]
}
