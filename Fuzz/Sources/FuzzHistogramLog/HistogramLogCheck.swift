import FuzzSupport
import TwloadHistogramLog
import TwloadStats

/// Decodes histograms and reads interval logs from arbitrary input. Nothing traps; an error is one line, and a
/// log's names a line that exists; whatever decodes encodes again and decodes to the same histogram (counts,
/// total and largest value), through bytes and through base64 text.
enum HistogramLogCheck {
    static func run(encoded bytes: [UInt8]) {
        do {
            roundTrips(try HistogramCodec.decode(bytes))
        } catch {
            fuzzCheck(error.description.isOneLine, "error is not one line: \(error.description.debugDescription)")
        }
    }

    static func run(text: String) {
        do {
            let log = try HistogramLogReader.read(text)
            for entry in log.entries {
                roundTrips(entry.histogram)
                fuzzCheck(entry.startSeconds >= 0 && entry.lengthSeconds >= 0, "negative time in \(entry)")
                fuzzCheck(entry.tag.map { !$0.isEmpty && !$0.contains(",") } ?? true, "bad tag \(entry.tag ?? "")")
            }
        } catch {
            let lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).count
            fuzzCheck(error.line >= 1 && error.line <= lines, "error names line \(error.line) of \(lines)")
            fuzzCheck(error.description.isOneLine, "error is not one line: \(error.description.debugDescription)")
        }
    }

    /// Encodes `h` and decodes it again, given its largest value as a log line gives it.
    static func roundTrips(_ h: LatencyHistogram) {
        do {
            let again = try HistogramCodec.decode(HistogramCodec.encode(h), maxRecorded: h.maxRecorded)
            fuzzCheck(
                again == h, "bytes round trip changed the histogram (total \(h.totalCount), max \(h.maxRecorded))")
            let text = try HistogramCodec.encodeBase64(h)
            let fromText = try HistogramCodec.decode(base64: text, maxRecorded: h.maxRecorded)
            fuzzCheck(fromText == h, "base64 round trip")
            let line = try HistogramLogWriter.intervalLine(startNanos: 0, lengthNanos: 1_000_000_000, histogram: h)
            let fromLine = try HistogramLogReader.read(line).entries.map(\.histogram)
            fuzzCheck(fromLine == [h], "log line round trip")
        } catch {
            fuzzCheck(false, "a decoded histogram does not encode and decode again: \(error)")
        }
    }
}
