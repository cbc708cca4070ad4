/// A CSV file as twload writes it (a header, then rows of plain cells, no quoting), addressed by column
/// name. Reading never traps on any input: a malformed file is a `PlotError` naming its file and line.
/// Cells are kept as text until a column is asked for, so a column the plot does not draw may hold anything.
public struct CSVTable: Sendable {
    /// The file's name as the user gave it, for errors.
    public let file: String
    /// The header's column names, in order.
    public let header: [String]
    /// The cells of each data row, in the header's order.
    let rows: [[Substring]]
    /// The 1-based line of each row in the file, for errors.
    let lineNumbers: [Int]
    /// Remarks that are not errors, e.g. a torn last line that was left out.
    public let notes: [String]

    private let index: [String: Int]

    /// Parses `text`. A last line without a newline that has fewer cells than the header is torn (the writer
    /// was stopped mid-row, or the file was copied while written): it is left out with a note. Any other row
    /// whose cell count differs from the header's is an error; blank lines are skipped.
    public init(text: String, file: String) throws(DataFileError) {
        self.file = file
        var body = Substring(text)
        if body.hasPrefix("\u{FEFF}") { body = body.dropFirst() }
        let endsWithNewline = body.utf8.last == UInt8(ascii: "\n")
        // Split on bytes: as Characters, "\r\n" is one grapheme and would not split on "\n".
        let lines = body.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
            Substring(line.last == UInt8(ascii: "\r") ? line.dropLast() : line)
        }
        guard let first = lines.first, !first.isEmpty else {
            throw DataFileError(.noData, file: file, line: nil, "empty file: not a twload CSV")
        }
        let header = Self.cells(first).map(String.init)
        var index: [String: Int] = [:]
        for (i, name) in header.enumerated() {
            guard index[name] == nil else { throw DataFileError(file: file, line: 1, "column '\(name)' appears twice") }
            index[name] = i
        }
        guard index["elapsed_s"] != nil else {
            throw DataFileError(file: file, line: 1, "no elapsed_s column: not a twload CSV")
        }
        var rows: [[Substring]] = []
        var lineNumbers: [Int] = []
        var notes: [String] = []
        for (offset, line) in lines.enumerated().dropFirst() where !line.isEmpty {
            let cells = Self.cells(line)
            let isLast = offset == lines.count - 1
            if cells.count != header.count {
                if isLast && !endsWithNewline && cells.count < header.count {
                    notes.append("\(file):\(offset + 1): torn last line (\(cells.count) cells, no newline) left out")
                    continue
                }
                throw DataFileError(
                    file: file, line: offset + 1, "\(cells.count) cells, the header has \(header.count)")
            }
            rows.append(cells)
            lineNumbers.append(offset + 1)
        }
        guard !rows.isEmpty else { throw DataFileError(.noData, file: file, line: nil, "no rows after the header") }
        self.header = header
        self.rows = rows
        self.lineNumbers = lineNumbers
        self.notes = notes
        self.index = index
    }

    /// The comma-separated cells of one line.
    static func cells(_ line: Substring) -> [Substring] {
        line.utf8.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).map { Substring($0) }
    }

    /// The number of data rows.
    public var rowCount: Int { rows.count }

    /// The cell of data row `row` (from 0) in column `column` (an index into `header`).
    public func cell(_ row: Int, _ column: Int) -> Substring { rows[row][column] }

    /// The 1-based line of data row `row` in the file, for errors.
    public func lineNumber(_ row: Int) -> Int { lineNumbers[row] }

    /// The index of a column in `header`, or nil.
    public func columnIndex(_ name: String) -> Int? { index[name] }

    /// Whether the header has a column of this name.
    public func has(_ name: String) -> Bool { index[name] != nil }

    /// A column's values, nil for an empty cell ("not measured", never 0); nil when there is no such
    /// column. A cell that is not a finite number is an error naming its line and column.
    public func numbers(_ name: String) throws(DataFileError) -> [Double?]? {
        guard let column = index[name] else { return nil }
        var values: [Double?] = []
        values.reserveCapacity(rows.count)
        for (row, cells) in rows.enumerated() {
            let cell = cells[column]
            if cell.isEmpty {
                values.append(nil)
                continue
            }
            guard let v = Double(cell), v.isFinite else {
                let shown = cell.count > 24 ? cell.prefix(24) + "…" : cell
                throw DataFileError(file: file, line: lineNumbers[row], "\(name): '\(shown)' is not a number")
            }
            values.append(v)
        }
        return values
    }
}
