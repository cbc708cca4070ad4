/// The numbers of an interval log as text: seconds and milliseconds with three decimals, and a Unix time
/// in RFC 3339 (UTC). Integer arithmetic only, so the same input always gives the same text.
enum LogTimeText {
    /// `thousandths` / 1000 with exactly three decimals, e.g. 12345 → "12.345" (negative counts as 0).
    static func thousandths(_ thousandths: Int64) -> String {
        let t = max(0, thousandths)
        let fraction = String(t % 1000)
        return "\(t / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }

    /// Nanoseconds as seconds with three decimals, rounded to the nearest millisecond.
    static func seconds(nanos: Int64) -> String {
        let n = max(0, nanos)
        return thousandths(n / 1_000_000 + (n % 1_000_000 >= 500_000 ? 1 : 0))
    }

    /// A Unix time in RFC 3339, UTC, to the millisecond: "2023-11-14T22:13:20.123Z".
    static func rfc3339(unixSeconds: Int64, milliseconds: Int64) -> String {
        let days = unixSeconds >= 0 ? unixSeconds / 86_400 : (unixSeconds - 86_399) / 86_400
        let secondOfDay = unixSeconds - days * 86_400
        let (year, month, day) = civil(daysSinceEpoch: days)
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3600, 2)):"
            + "\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2)).\(pad(milliseconds, 3))Z"
    }

    /// The proleptic Gregorian date of a day count from 1970-01-01 (Howard Hinnant's `civil_from_days`).
    static func civil(daysSinceEpoch: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// `v` with leading zeros to `width` digits.
    static func pad(_ v: Int64, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
