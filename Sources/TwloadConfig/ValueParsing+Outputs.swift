import TwloadModel

/// Parsers for HTTP status sets and for files twload writes besides the CSV.
extension ValueParsing {
    /// HTTP status codes and ranges, comma-separated: "200", "200,204,300-399". Each code is 100–999, and a
    /// range goes upward.
    public static func statusSet(_ text: String, option: String) throws(ConfigError) -> StatusSet {
        var ranges: [ClosedRange<UInt16>] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = part.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
            let codes = bounds.map { UInt16(String($0).trimmed) }
            guard let low = codes.first ?? nil, let high = codes.last ?? nil,
                StatusSet.validCodes.contains(low), StatusSet.validCodes.contains(high)
            else {
                throw ConfigError(
                    option, "expected status codes 100-999 or ranges such as 200,204,300-399 (got '\(text)')")
            }
            guard low <= high else {
                throw ConfigError(option, "the range \(low)-\(high) goes downward (got '\(text)')")
            }
            ranges.append(low...high)
        }
        return StatusSet(ranges: ranges)
    }

    /// A file to write (not standard output): any non-empty path.
    public static func file(_ text: String, option: String) throws(ConfigError) -> String {
        guard !text.isEmpty else { throw ConfigError(option, "expected a file path (got '')") }
        return text
    }
}
