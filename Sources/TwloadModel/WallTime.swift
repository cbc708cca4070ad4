/// A moment on the real-time clock, in nanoseconds since the Unix epoch (UTC): a fleet's shared start
/// (`--start-at`). It is read and written as RFC 3339 (`2026-12-01T23:00:00Z`, `…T23:00:00.250+01:00`) or
/// as Unix seconds (`1796166000`, `1796166000.25`). Plain arithmetic on the proleptic Gregorian calendar:
/// no Foundation, no time zone database (an offset is part of the text).
public struct WallTime: Sendable, Equatable, Comparable, CustomStringConvertible {
    public let unixNanos: Int64

    public init(unixNanos: Int64) { self.unixNanos = unixNanos }

    public static func < (a: WallTime, b: WallTime) -> Bool { a.unixNanos < b.unixNanos }

    /// Parses RFC 3339 (a date, `T` or a space, a time with optional fraction, then `Z` or `±HH:MM`) or
    /// Unix seconds with up to 9 decimals. Years 1970–2261 (nanoseconds fit in 64 bits until 2262); nil for
    /// anything else.
    public init?(parsing text: String) {
        let t = Array(text.utf8)
        if let n = Self.unixSeconds(t) {
            unixNanos = n
        } else if let n = Self.rfc3339(t) {
            unixNanos = n
        } else {
            return nil
        }
    }

    /// The moment as RFC 3339 in UTC with milliseconds: "2026-12-01T23:00:00.000Z".
    public var description: String {
        let seconds = unixNanos >= 0 ? unixNanos / 1_000_000_000 : (unixNanos + 1) / 1_000_000_000 - 1
        let millis = (unixNanos - seconds * 1_000_000_000) / 1_000_000
        let (y, m, d) = Self.civil(fromDays: seconds >= 0 ? seconds / 86_400 : (seconds + 1) / 86_400 - 1)
        let secondOfDay = seconds - Self.days(year: y, month: m, day: d) * 86_400
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let ms = millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : "\(millis)"
        return "\(y)-\(two(m))-\(two(d))T\(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):"
            + "\(two(secondOfDay % 60)).\(ms)Z"
    }

    /// Unix seconds as text with 3 decimals ("1796166000.250"), as HdrHistogram logs write a start time.
    public var unixSecondsText: String {
        NumberText.fixed3(Double(unixNanos / 1_000_000) / 1000)
    }

    /// Digits with an optional fraction of up to 9 digits: whole nanoseconds, or nil.
    static func unixSeconds(_ t: [UInt8]) -> Int64? {
        let dot = t.firstIndex(of: UInt8(ascii: ".")) ?? t.count
        guard dot > 0, dot <= 11 else { return nil }
        guard let whole = digits(t[0..<dot]), whole < 9_200_000_000 else { return nil }
        var fraction: Int64 = 0
        if dot < t.count {
            let f = t[(dot + 1)...]
            guard !f.isEmpty, f.count <= 9, let v = digits(f) else { return nil }
            fraction = v
            for _ in f.count..<9 { fraction *= 10 }
        }
        return whole * 1_000_000_000 + fraction
    }

    /// `YYYY-MM-DD[T ]HH:MM:SS[.fraction](Z|±HH:MM)`, validated field by field (no leap seconds).
    static func rfc3339(_ t: [UInt8]) -> Int64? {
        func field(_ at: Int, _ length: Int) -> Int64? {
            at + length <= t.count ? digits(t[at..<(at + length)]) : nil
        }
        func byte(_ at: Int) -> UInt8? { at < t.count ? t[at] : nil }
        guard let y = field(0, 4), byte(4) == UInt8(ascii: "-"), let mo = field(5, 2), byte(7) == UInt8(ascii: "-"),
            let d = field(8, 2),
            byte(10) == UInt8(ascii: "T") || byte(10) == UInt8(ascii: "t")
                || byte(10) == UInt8(ascii: " "),
            let h = field(11, 2), byte(13) == UInt8(ascii: ":"), let mi = field(14, 2),
            byte(16) == UInt8(ascii: ":"), let s = field(17, 2),
            (1970...2261).contains(y), (1...12).contains(mo), d >= 1, d <= daysIn(month: mo, year: y), h < 24, mi < 60,
            s < 60
        else { return nil }
        var i = 19
        var nanos: Int64 = 0
        if byte(i) == UInt8(ascii: ".") {
            var n = 0
            i += 1
            while let c = byte(i), c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") {
                if n < 9 { nanos = nanos * 10 + Int64(c - UInt8(ascii: "0")) }
                n += 1
                i += 1
            }
            guard n > 0 else { return nil }
            for _ in min(n, 9)..<9 { nanos *= 10 }
        }
        var offset: Int64 = 0
        switch byte(i) {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            i += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard let oh = field(i + 1, 2), byte(i + 3) == UInt8(ascii: ":"), let om = field(i + 4, 2), oh < 24,
                om < 60
            else { return nil }
            offset = (oh * 60 + om) * 60 * (byte(i) == UInt8(ascii: "+") ? 1 : -1)
            i += 6
        default:
            return nil
        }
        guard i == t.count else { return nil }
        let seconds = days(year: y, month: mo, day: d) * 86_400 + h * 3600 + mi * 60 + s - offset
        return seconds * 1_000_000_000 + nanos
    }

    /// The value of a run of ASCII digits (at most 18), or nil.
    static func digits(_ s: ArraySlice<UInt8>) -> Int64? {
        guard !s.isEmpty, s.count <= 18 else { return nil }
        var v: Int64 = 0
        for c in s {
            guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") else { return nil }
            v = v * 10 + Int64(c - UInt8(ascii: "0"))
        }
        return v
    }

    static func daysIn(month m: Int64, year y: Int64) -> Int64 {
        switch m {
        case 2: (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 to the date (Howard Hinnant's days_from_civil).
    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date of a day count from 1970-01-01 (civil_from_days).
    static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
