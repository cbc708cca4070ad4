import TwloadModel

/// Every CSV column summed up over the run, for the JSON summary: counts are summed, gauges give their
/// peak, the clock columns their last value and a rate its mean over the rows; a latency column gives the
/// run's own figure from the merged histogram (not a mean of percentiles). Fed with each row's CSV cells (the
/// same text the CSV gets, made once), so it covers exactly the columns the CSV has.
public struct ColumnAggregates: Sendable {
    /// How a column's cells become one run figure.
    public enum Aggregate: String, Sendable {
        case sum, peak, last, mean
        /// The run metric of the same name (latencies: from the merged histogram).
        case run
    }

    private let metrics: [Metric]
    private var sums: [Double]
    private var peaks: [Double?]
    private var lasts: [Double?]
    private var counts: [Int]

    public init(metrics: [Metric] = MetricTable.all) {
        self.metrics = metrics.filter { $0.cell != nil }
        sums = Array(repeating: 0, count: self.metrics.count)
        peaks = Array(repeating: nil, count: self.metrics.count)
        lasts = peaks
        counts = Array(repeating: 0, count: self.metrics.count)
    }

    /// How `metric`'s column is aggregated.
    public static func aggregate(of metric: Metric) -> Aggregate {
        switch metric.unit {
        case .count: .sum
        case .gauge: .peak
        case .seconds, .milliseconds: .last
        case .perSecond: .mean
        case .microseconds: metric.total != nil ? .run : .peak
        }
    }

    /// Adds one row's cells, in CSV order (`CSVFormat.cells` of the same metrics); empty cells (not measured)
    /// are skipped.
    public mutating func add(cells: [String]) {
        for (i, cell) in zip(metrics.indices, cells) {
            guard let v = Double(cell) else { continue }
            sums[i] += v
            peaks[i] = max(peaks[i] ?? v, v)
            lasts[i] = v
            counts[i] += 1
        }
    }

    /// Each column's name, unit, aggregate and value (nil: never measured), in CSV order.
    public func values(_ figures: RunFigures) -> [(metric: Metric, aggregate: Aggregate, value: Double?)] {
        metrics.enumerated().map { i, m in
            let how = Self.aggregate(of: m)
            let value: Double? =
                switch how {
                case .sum: counts[i] > 0 ? sums[i] : nil
                case .peak: peaks[i]
                case .last: lasts[i]
                case .mean: counts[i] > 0 ? sums[i] / Double(counts[i]) : nil
                case .run: m.total?(figures)
                }
            return (m, how, value)
        }
    }
}
