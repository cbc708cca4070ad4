import TwloadStats

/// Adding an encoded histogram into another as it is decoded: what a merge does with hundreds of thousands
/// of interval histograms, without building each one first.
extension HistogramCodec {
    /// Adds the histogram in base64 `text` (V2 compressed, or uncompressed) into `histogram`, bucket by
    /// bucket; `maxRecorded` is the added histogram's exact largest value when known (a log line's max).
    /// The layout must be `histogram`'s. On a malformed encoding it throws, and `histogram` may hold part of
    /// the counts: the caller discards it.
    public static func add(
        base64 text: some StringProtocol, into histogram: inout LatencyHistogram, maxRecorded: UInt64? = nil
    ) throws(HistogramCodecError) {
        let highest = histogram.highest
        let p = try payload(Base64.decode(text), highest: highest)
        try checkHeader(p, highest: highest)
        var top = -1
        var refused: LatencyHistogram.CountsError?
        try scanCounts(p, length: LatencyHistogram.hdrCountsLength(highest: highest)) { index, count in
            guard refused == nil else { return }
            do throws(LatencyHistogram.CountsError) {
                try histogram.addToBucket(index, count: count)
            } catch {
                refused = error
            }
            top = index
        }
        switch refused {
        case .countAboveHighest(let index, _)?: throw .countAboveHighest(index: index)
        case .totalOverflows?: throw .countOverflow
        case nil: break
        }
        histogram.noteAddedMaximum(topBucket: top, exact: maxRecorded)
    }
}
