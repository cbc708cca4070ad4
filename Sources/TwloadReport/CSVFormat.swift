/// The CSV time series of `twload run`: one column per metric with a cell, in the metric table's order
/// (the contract columns first). Empty cells mean "not measured", never zero.
public struct CSVFormat: Sendable {
    /// The column names, in order.
    public let columnNames: [String]
    private let cells: [@Sendable (IntervalRow) -> String]

    /// The format of `metrics`' columns (the standard table unless a test adds one).
    public init(metrics: [Metric] = MetricTable.all) {
        let columns = metrics.compactMap { m in m.cell.map { (m.name, $0) } }
        columnNames = columns.map(\.0)
        cells = columns.map(\.1)
    }

    /// The header line (no newline).
    public var headerLine: String { columnNames.joined(separator: ",") }

    /// One row's cells, in header order.
    public func cells(_ row: IntervalRow) -> [String] {
        cells.map { $0(row) }
    }

    /// One row, in header order (no newline).
    public func line(_ row: IntervalRow) -> String {
        cells(row).joined(separator: ",")
    }

    /// The format of the standard metric table.
    public static let standard = CSVFormat()

    /// The standard header.
    public static var header: String { standard.headerLine }

    /// A row of the standard format.
    public static func row(_ r: IntervalRow) -> String { standard.line(r) }
}
