/// A JSON value, as much of JSON as a twload summary needs to be read: every JSON text parses (or fails
/// with a line number), nothing traps, and nesting deeper than `maxDepth` is refused instead of recursing
/// without bound.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// How deep arrays and objects may nest.
    public static let maxDepth = 64

    /// Why a text is not JSON: the 1-based line and what was expected there.
    public struct SyntaxError: Error, Sendable {
        public let line: Int
        public let message: String
    }

    /// Parses a whole JSON text (surrounding white space allowed, nothing after the value).
    public static func parse(_ text: String) throws(SyntaxError) -> JSONValue {
        var parser = Parser(bytes: Array(text.utf8))
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.at == parser.bytes.count else { throw parser.error("unexpected text after the JSON value") }
        return value
    }

    /// An object's member, or nil (no such member, or not an object).
    public subscript(_ key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// The string, or nil for any other kind of value.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The number, or nil for any other kind of value.
    public var numberValue: Double? {
        if case .number(let v) = self { return v }
        return nil
    }

    /// The number when it is a whole number in Int's range, else nil.
    public var intValue: Int? {
        guard let v = numberValue, v == v.rounded(), abs(v) < 9e15 else { return nil }
        return Int(v)
    }

    /// The truth value, or nil for any other kind of value.
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// A recursive-descent reader over the UTF-8 bytes.
    private struct Parser {
        let bytes: [UInt8]
        var at = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        func error(_ message: String) -> SyntaxError {
            SyntaxError(
                line: 1 + bytes[..<min(at, bytes.count)].lazy.filter { $0 == UInt8(ascii: "\n") }.count,
                message: message)
        }

        var peek: UInt8? { at < bytes.count ? bytes[at] : nil }

        mutating func skipSpace() {
            while let b = peek, b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { at += 1 }
        }

        mutating func value(depth: Int) throws(SyntaxError) -> JSONValue {
            guard depth < JSONValue.maxDepth else { throw error("nested more than \(JSONValue.maxDepth) deep") }
            skipSpace()
            guard let b = peek else { throw error("expected a value, found the end") }
            switch b {
            case UInt8(ascii: "{"): return try object(depth: depth)
            case UInt8(ascii: "["): return try array(depth: depth)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): return try literal("true", .bool(true))
            case UInt8(ascii: "f"): return try literal("false", .bool(false))
            case UInt8(ascii: "n"): return try literal("null", .null)
            default: return try number()
            }
        }

        mutating func literal(_ word: String, _ value: JSONValue) throws(SyntaxError) -> JSONValue {
            let w = Array(word.utf8)
            guard at + w.count <= bytes.count, Array(bytes[at..<at + w.count]) == w else {
                throw error("expected a value")
            }
            at += w.count
            return value
        }

        mutating func number() throws(SyntaxError) -> JSONValue {
            let start = at
            while let b = peek,
                (b >= 0x30 && b <= 0x39) || b == UInt8(ascii: "-") || b == UInt8(ascii: "+")
                    || b == UInt8(ascii: ".") || b == UInt8(ascii: "e") || b == UInt8(ascii: "E")
            {
                at += 1
            }
            let text = String(decoding: bytes[start..<at], as: UTF8.self)
            guard !text.isEmpty, let v = Double(text), v.isFinite else { throw error("expected a value") }
            return .number(v)
        }

        mutating func string() throws(SyntaxError) -> String {
            at += 1  // the opening quote
            var out: [UInt8] = []
            while let b = peek {
                at += 1
                switch b {
                case UInt8(ascii: "\""): return String(decoding: out, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard let e = peek else { break }
                    at += 1
                    switch e {
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "u"):
                        guard at + 4 <= bytes.count,
                            let code = UInt32(String(decoding: bytes[at..<at + 4], as: UTF8.self), radix: 16)
                        else { throw error("bad \\u escape in a string") }
                        at += 4
                        // A lone surrogate half becomes U+FFFD: the summary's strings are not plotted.
                        out.append(contentsOf: Array(String(Unicode.Scalar(code) ?? "\u{FFFD}").utf8))
                    default: out.append(e)
                    }
                default: out.append(b)
                }
            }
            throw error("unterminated string")
        }

        mutating func array(depth: Int) throws(SyntaxError) -> JSONValue {
            at += 1
            var items: [JSONValue] = []
            skipSpace()
            if peek == UInt8(ascii: "]") {
                at += 1
                return .array(items)
            }
            while true {
                items.append(try value(depth: depth + 1))
                skipSpace()
                switch peek {
                case UInt8(ascii: ","): at += 1
                case UInt8(ascii: "]"):
                    at += 1
                    return .array(items)
                default: throw error("expected ',' or ']' in an array")
                }
            }
        }

        mutating func object(depth: Int) throws(SyntaxError) -> JSONValue {
            at += 1
            var members: [String: JSONValue] = [:]
            skipSpace()
            if peek == UInt8(ascii: "}") {
                at += 1
                return .object(members)
            }
            while true {
                skipSpace()
                guard peek == UInt8(ascii: "\"") else { throw error("expected a member name in quotes") }
                let key = try string()
                skipSpace()
                guard peek == UInt8(ascii: ":") else { throw error("expected ':' after \"\(key)\"") }
                at += 1
                members[key] = try value(depth: depth + 1)
                skipSpace()
                switch peek {
                case UInt8(ascii: ","): at += 1
                case UInt8(ascii: "}"):
                    at += 1
                    return .object(members)
                default: throw error("expected ',' or '}' in an object")
                }
            }
        }
    }
}
