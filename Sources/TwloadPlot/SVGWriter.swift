/// Builds SVG text: elements with escaped attributes and text, and path data with coordinates rounded to
/// one decimal (a tenth of a pixel is below what a screen shows, and it keeps an hour-long plot small).
struct SVGWriter {
    private(set) var text = ""

    init() { text.reserveCapacity(1 << 16) }

    /// Appends raw markup (already escaped).
    mutating func raw(_ markup: String) { text += markup }

    /// An empty element: `<name a="v" .../>`.
    mutating func element(_ name: String, _ attributes: KeyValuePairs<String, String>) {
        text += "<" + name
        for (k, v) in attributes { text += " \(k)=\"\(Self.escape(v))\"" }
        text += "/>\n"
    }

    /// An element holding text: `<name ...>text</name>`.
    mutating func textElement(_ name: String, _ attributes: KeyValuePairs<String, String>, _ content: String) {
        text += "<" + name
        for (k, v) in attributes { text += " \(k)=\"\(Self.escape(v))\"" }
        text += ">" + Self.escape(content) + "</\(name)>\n"
    }

    /// Opens a group; close it with `close("g")`.
    mutating func open(_ name: String, _ attributes: KeyValuePairs<String, String>) {
        text += "<" + name
        for (k, v) in attributes { text += " \(k)=\"\(Self.escape(v))\"" }
        text += ">\n"
    }

    mutating func close(_ name: String) { text += "</\(name)>\n" }

    /// Text made safe for XML content and attribute values.
    static func escape(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 < 0x20 }) else {
            return s
        }
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t", "\n", "\r": out += " "
            default: if c.value < 0x20 { out += "\u{FFFD}" } else { out.unicodeScalars.append(c) }
            }
        }
        return out
    }

    /// A coordinate with at most one decimal ("12", "12.3", "-0.5").
    static func number(_ v: Double) -> String {
        guard v.isFinite else { return "0" }
        let tenths = Int64((v * 10).rounded())
        let whole = tenths / 10
        let digit = (tenths % 10).magnitude
        if digit == 0 { return String(whole) }
        return (tenths < 0 && whole == 0 ? "-0" : String(whole)) + "." + String(digit)
    }
}

/// Path data for polylines, built point by point. Points are rounded to a tenth of a pixel; a point equal to
/// the one before is dropped, and a run of points at the same height keeps only its ends, so flat stretches
/// of an hour-long series cost two points.
struct PathBuilder {
    /// Rounded coordinates of the current subpath (tenths of a pixel).
    private var points: [(x: Int64, y: Int64)] = []
    private(set) var data = ""

    /// Adds a point to the current subpath.
    mutating func add(_ x: Double, _ y: Double) {
        let p = (x: Int64((x * 10).rounded()), y: Int64((y * 10).rounded()))
        if let last = points.last, last == p { return }
        if points.count >= 2, points[points.count - 1].y == p.y, points[points.count - 2].y == p.y {
            points[points.count - 1] = p
            return
        }
        points.append(p)
    }

    /// Ends the current subpath (a gap follows). A subpath of one point is drawn as a dot (`h0` with round
    /// line caps), so an isolated value between two gaps still shows.
    mutating func lift(closing: Bool = false) {
        guard let first = points.first else { return }
        data += "M" + Self.text(first)
        if points.count == 1 {
            data += "h0"
        } else {
            for p in points.dropFirst() { data += " " + Self.text(p) }
        }
        if closing { data += "Z" }
        points.removeAll(keepingCapacity: true)
    }

    /// The points of the current subpath so far, as pixels (for building a closed band).
    var isEmpty: Bool { points.isEmpty }

    private static func text(_ p: (x: Int64, y: Int64)) -> String {
        tenths(p.x) + " " + tenths(p.y)
    }

    private static func tenths(_ v: Int64) -> String {
        let digit = (v % 10).magnitude
        let whole = v / 10
        if digit == 0 { return String(whole) }
        return (v < 0 && whole == 0 ? "-0" : String(whole)) + "." + String(digit)
    }
}
