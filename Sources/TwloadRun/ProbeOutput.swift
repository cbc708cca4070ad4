/// Where a `twload find` probe writes its rows: the search's one CSV, which every probe shares. Each row
/// ends with a `probe` column, and only the first probe writes the header.
struct ProbeOutput: Sendable {
    static let columnName = "probe"

    /// The CSV's descriptor, owned by the search.
    let csvDescriptor: Int32
    /// The probe's number, from 1.
    let index: Int
    let writesHeader: Bool
}
