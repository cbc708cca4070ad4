/// A set of HTTP status codes (100–999), as `--expect-status` gives it: `200,204,300-399`. Checking a
/// response walks the few ranges given, with no allocation.
public struct StatusSet: Sendable, Equatable, CustomStringConvertible {
    /// The ranges as given (each within `validCodes`), in order.
    public let ranges: [ClosedRange<UInt16>]

    /// The status codes HTTP defines.
    public static let validCodes: ClosedRange<UInt16> = 100...999

    /// The default expectation: any 2xx or 3xx.
    public static let successOrRedirect = StatusSet(ranges: [200...399])

    /// The codes of `ranges`, each clamped to `validCodes`.
    public init(ranges: [ClosedRange<UInt16>]) {
        self.ranges = ranges.map { $0.clamped(to: Self.validCodes) }
    }

    /// Whether `code` is in the set.
    @inlinable
    public func contains(_ code: UInt16) -> Bool {
        for r in ranges where r.contains(code) { return true }
        return false
    }

    /// "200-399", "200,204,300-399".
    public var description: String {
        ranges.map { $0.lowerBound == $0.upperBound ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }
            .joined(separator: ",")
    }
}
