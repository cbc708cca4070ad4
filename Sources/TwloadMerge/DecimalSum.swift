/// An exact sum of CSV cells written as plain decimals ("12", "-3", "133.333"): each is read as an integer
/// scaled by its decimals, so that 0.1 + 0.2 is 0.3, not a binary fraction. Empty cells ("not measured")
/// are left out; a sum of none is an empty cell again.
struct DecimalSum: Sendable {
    /// The sum in units of 10^-`decimals`.
    private var scaled: Int64 = 0
    private var decimals = 0
    /// How many cells were added.
    private(set) var count = 0

    /// Adds one cell; false when it is not a plain decimal with at most 9 decimals (or overflows).
    @discardableResult
    mutating func add(_ cell: Substring) -> Bool {
        guard !cell.isEmpty else { return true }
        guard let (value, places) = Self.parse(cell) else { return false }
        var v = value
        if places > decimals {
            for _ in decimals..<places {
                let (m, o) = scaled.multipliedReportingOverflow(by: 10)
                guard !o else { return false }
                scaled = m
            }
            decimals = places
        } else {
            for _ in places..<decimals {
                let (m, o) = v.multipliedReportingOverflow(by: 10)
                guard !o else { return false }
                v = m
            }
        }
        let (s, o) = scaled.addingReportingOverflow(v)
        guard !o else { return false }
        scaled = s
        count += 1
        return true
    }

    /// The sum as text with the most decimals any cell had ("" when no cell was added).
    var text: String {
        guard count > 0 else { return "" }
        guard decimals > 0 else { return String(scaled) }
        var unit: Int64 = 1
        for _ in 0..<decimals { unit *= 10 }
        let magnitude = scaled.magnitude
        let fraction = String(magnitude % UInt64(unit))
        return (scaled < 0 ? "-" : "") + String(magnitude / UInt64(unit)) + "."
            + String(repeating: "0", count: decimals - fraction.count) + fraction
    }

    /// `[-]digits[.digits]` as (integer scaled by its decimals, decimals), or nil.
    static func parse(_ cell: Substring) -> (Int64, Int)? {
        var bytes = cell.utf8[...]
        let negative = bytes.first == UInt8(ascii: "-")
        if negative { bytes = bytes.dropFirst() }
        var value: Int64 = 0
        var places = 0
        var digits = 0
        var seenPoint = false
        for c in bytes {
            if c == UInt8(ascii: ".") && !seenPoint {
                seenPoint = true
                continue
            }
            guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(c - UInt8(ascii: "0")))
            guard !o1, !o2 else { return nil }
            value = a
            digits += 1
            if seenPoint { places += 1 }
        }
        guard digits > 0, places <= 9, !(seenPoint && places == 0) else { return nil }
        return (negative ? -value : value, places)
    }
}
