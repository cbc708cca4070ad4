/// Numbers as twload writes them in CSV cells, the summary, the preflight and threshold verdicts. Shared so
/// that the same figure reads the same everywhere.
public enum NumberText {
    /// Three decimals, for seconds ("12.000").
    public static func fixed3(_ v: Double) -> String {
        guard v.isFinite, v.magnitude < 1e15 else { return compact(v) }
        let ms = Int64((v * 1000).rounded())
        let frac = String(ms % 1000)
        return "\(ms / 1000).\(String(repeating: "0", count: 3 - frac.count))\(frac)"
    }

    /// A rate without a needless fraction ("2000", "2.5").
    public static func rate(_ v: Double) -> String {
        v == v.rounded() && v.magnitude < 1e18 ? String(Int64(v)) : String(v)
    }

    /// Rounded to 3 decimals without trailing zeros ("2000", "1954.568"); a positive value that would round
    /// to 0 keeps its significant digits ("1e-06"), so that it never reads as 0.
    public static func decimals3(_ v: Double) -> String {
        guard v.isFinite, v.magnitude < 1e15 else { return compact(v) }
        let rounded = (v * 1000).rounded() / 1000
        if rounded == 0 && v != 0 { return v.description }
        return compact(rounded)
    }

    /// One decimal, always shown ("500.0").
    public static func oneDecimal(_ v: Double) -> String {
        let x = (v * 10).rounded() / 10
        return x == x.rounded() && x.magnitude < 1e18 ? "\(Int64(x)).0" : "\(x)"
    }

    /// Two decimals, always shown ("7.06").
    public static func twoDecimals(_ v: Double) -> String {
        guard v.isFinite, v.magnitude < 1e15 else { return compact(v) }
        let cents = Int64((v * 100).rounded())
        let frac = String(cents % 100)
        return "\(cents / 100).\(frac.count == 1 ? "0" + frac : frac)"
    }

    /// A count with its noun in the right number: "1 row", "2 rows", "0 rows"; `plural` when it is not the
    /// singular plus "s" ("1 4-tuple was", "2 4-tuples were" need two calls).
    public static func counted(_ n: Int, _ singular: String, plural: String? = nil) -> String {
        "\(n) " + (n == 1 ? singular : plural ?? singular + "s")
    }

    /// A rate per second as a person reads it: whole numbers from 10 up ("470"), one decimal below that
    /// ("1.7"), so that 100 ports ÷ 60 s reads "1.7" and not "1".
    public static func perSecond(_ v: Double) -> String {
        guard v.isFinite, v.magnitude < 1e15 else { return compact(v) }
        if v >= 10 { return String(Int64(v)) }
        return compact((v * 10).rounded() / 10)
    }

    /// A duration as a person reads it: milliseconds below a second ("500 ms"), seconds from there ("2 s",
    /// "1.5 s").
    public static func duration(nanos: Int64) -> String {
        nanos < 1_000_000_000
            ? compact(Double(nanos) / 1e6) + " ms" : compact(Double(nanos) / 1e9) + " s"
    }

    /// Compact text: integers without decimals, otherwise at most 4 significant decimals (more decimals below 1
    /// so that 0.001234 keeps its digits); +infinity is "never".
    public static func compact(_ v: Double) -> String {
        if v.isNaN { return "nan" }
        if v == .infinity { return "never" }
        if v == -.infinity { return "-inf" }
        let magnitude = v.magnitude
        if v == v.rounded(), magnitude < 1e15 { return String(Int64(v)) }
        guard magnitude < 1e14, magnitude >= 1e-6 else { return v.description }
        var decimals = 4
        var probe = magnitude
        while probe < 0.1 {  // one more decimal per leading zero after the point
            probe *= 10
            decimals += 1
        }
        let scale = (0..<decimals).reduce(Int64(1)) { power, _ in power * 10 }
        let scaled = Int64((magnitude * Double(scale)).rounded())
        var fraction = String(scaled % scale)
        fraction = String(repeating: "0", count: decimals - fraction.count) + fraction
        while fraction.last == "0" { fraction.removeLast() }
        let sign = v < 0 ? "-" : ""
        return "\(sign)\(scaled / scale)" + (fraction.isEmpty ? "" : ".\(fraction)")
    }
}
