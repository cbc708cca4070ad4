/// A JSON document built in code and written as text, with object keys kept in the order given (so the
/// summary reads in the same order as the README's schema). Numbers that JSON cannot hold (NaN, ±∞) are
/// written as `null`: twload's "never" is +∞, and the schema says null means "did not happen".
public indirect enum JSONNode: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case number(Double)
    case string(String)
    case array([JSONNode])
    case object([(String, JSONNode)])

    /// A number, or null when there is none (or it is not finite).
    public static func number(_ v: Double?) -> JSONNode {
        guard let v, v.isFinite else { return .null }
        return .number(v)
    }

    /// A string, or null.
    public static func string(_ s: String?) -> JSONNode { s.map { .string($0) } ?? .null }

    /// The text, indented by two spaces per level, ending without a newline.
    public func rendered(indent: Int = 0) -> String {
        var out = ""
        write(to: &out, indent: indent)
        return out
    }

    private func write(to out: inout String, indent: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .number(let d): out += Self.numberText(d)
        case .string(let s): Self.writeString(s, to: &out)
        case .array(let items):
            guard !items.isEmpty else {
                out += "[]"
                return
            }
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += String(repeating: " ", count: indent + 2)
                item.write(to: &out, indent: indent + 2)
                out += i + 1 < items.count ? ",\n" : "\n"
            }
            out += String(repeating: " ", count: indent) + "]"
        case .object(let members):
            guard !members.isEmpty else {
                out += "{}"
                return
            }
            out += "{\n"
            for (i, (key, value)) in members.enumerated() {
                out += String(repeating: " ", count: indent + 2)
                Self.writeString(key, to: &out)
                out += ": "
                value.write(to: &out, indent: indent + 2)
                out += i + 1 < members.count ? ",\n" : "\n"
            }
            out += String(repeating: " ", count: indent) + "}"
        }
    }

    /// Whole numbers without a fraction ("2000"), others in Swift's shortest round-trip form ("0.25",
    /// "1e-06"), which is valid JSON.
    static func numberText(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        if d == d.rounded(), d.magnitude < 1e15 { return String(Int64(d)) }
        return d.description
    }

    /// A JSON string: quotes, backslashes and control characters escaped.
    static func writeString(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    public static func == (a: JSONNode, b: JSONNode) -> Bool {
        a.rendered() == b.rendered()
    }
}
