/// The numbers of an interval log as text: seconds and milliseconds with three decimals. Integer arithmetic
/// only, so the same input always gives the same text.
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
}
