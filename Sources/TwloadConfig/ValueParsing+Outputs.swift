import TwloadModel

/// Parsers for HTTP status sets, files twload writes besides the CSV, and an agent's place in a fleet.
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

    /// `I/N`: agent I (from 0) of N, N from 1 to 10,000.
    public static func agent(_ text: String, option: String) throws(ConfigError) -> AgentSlot {
        let parts = text.trimmed.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else {
            throw ConfigError(option, "expected I/N, agent I (from 0) of N, such as 0/4 (got '\(text)')")
        }
        guard (1...10_000).contains(n) else { throw ConfigError(option, "N must be 1 to 10000 (got '\(text)')") }
        guard (0..<n).contains(i) else {
            throw ConfigError(option, "I must be 0 to \(n - 1), since agents count from 0 (got '\(text)')")
        }
        return AgentSlot(index: i, count: n)
    }

    /// A wall-clock instant: RFC 3339 (`2026-12-01T23:00:00Z`, an offset such as `+01:00`, an optional
    /// fraction) or Unix seconds (`1796166000`, `1796166000.5`).
    public static func wallTime(_ text: String, option: String) throws(ConfigError) -> WallTime {
        guard let t = WallTime(parsing: text.trimmed) else {
            throw ConfigError(
                option,
                "expected RFC 3339 such as 2026-12-01T23:00:00Z (or with an offset, +01:00) or Unix seconds such as "
                    + "1796166000 (got '\(text)')")
        }
        return t
    }

    /// A run's name: 1 to 64 letters, digits, `.`, `_` or `-`, not starting with `.` (it goes into file
    /// names and CSV cells unquoted).
    public static func runID(_ text: String, option: String) throws(ConfigError) -> String {
        let allowed = text.utf8.allSatisfy { c in
            (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
                || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: ".")
                || c == UInt8(ascii: "_") || c == UInt8(ascii: "-")
        }
        guard allowed, (1...64).contains(text.utf8.count), !text.hasPrefix(".") else {
            throw ConfigError(
                option, "expected 1 to 64 letters, digits, '.', '_' or '-', not starting with '.' (got '\(text)')")
        }
        return text
    }
}
