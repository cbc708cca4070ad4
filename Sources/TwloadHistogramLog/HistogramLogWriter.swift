import TwloadModel
import TwloadStats

/// The text of an HdrHistogram interval log (format version 1.3), as Java's `HistogramLogWriter` writes it
/// and HdrHistogram's tools (HistogramLogProcessor, Python's `hdrh`) read it. The caller owns the clocks
/// and the file: it writes `header` once, then one `intervalLine` per interval, through its output layer.
///
/// Timestamps are relative to the start time: the header gives the same value as StartTime and BaseTime.
/// Values are microseconds; each line's Interval_Max is in milliseconds (µs / 1000) with three decimals,
/// as Java writes it with its default max value unit ratio, so it gives the exact largest value back.
public enum HistogramLogWriter {
    /// The lines before the first interval: format version, StartTime, BaseTime, a comment on units, the
    /// legend. The start time is a Unix time, `unixSeconds` plus `nanoseconds` (0 ..< 1e9).
    public static func header(unixSeconds: Int64, nanoseconds: Int32) -> String {
        let millis = Int64(max(0, min(999_999_999, nanoseconds))) / 1_000_000
        let seconds = LogTimeText.thousandths(unixSeconds * 1000 + millis)
        let utc = WallTime(unixNanos: unixSeconds * 1_000_000_000 + millis * 1_000_000).description
        return """
            #[Histogram log format version 1.3]
            #[StartTime: \(seconds) (seconds since epoch), \(utc)]
            #[BaseTime: \(seconds) (seconds since epoch)]
            #[Values are microseconds; Interval_Max is in milliseconds]
            "StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram"

            """
    }

    /// One interval's line: `[Tag=tag,]start,length,max,histogram` and a newline. `startNanos` is from the
    /// header's start time and `lengthNanos` the interval's length (both written in seconds to the
    /// millisecond). An empty histogram still gets its line, so lines match intervals one to one. A tag must
    /// not hold a comma, whitespace or a control character (a programmer error).
    public static func intervalLine(
        startNanos: Int64, lengthNanos: Int64, histogram: LatencyHistogram, tag: String? = nil
    ) throws(HistogramCodecError) -> String {
        var line = ""
        if let tag {
            precondition(tag.unicodeScalars.allSatisfy(isTagScalar), "an interval log tag with a comma or a space")
            line += "Tag=\(tag),"
        }
        line += LogTimeText.seconds(nanos: startNanos) + "," + LogTimeText.seconds(nanos: lengthNanos) + ","
        line += LogTimeText.thousandths(Int64(histogram.maxRecorded)) + ","
        line += try HistogramCodec.encodeBase64(histogram)
        return line + "\n"
    }

    /// True for a character a tag may hold.
    static func isTagScalar(_ s: Unicode.Scalar) -> Bool {
        s != "," && !s.properties.isWhitespace && s.value >= 0x20 && s.value != 0x7F
    }
}
