import TwloadModel

/// Decodes C-style escapes in `--send` text: \r \n \t \0 \\ and \xHH, into the bytes to send.
public enum Escapes {
    /// The decoded bytes. An unknown escape (`\q`), a `\x` without two hex digits, or a trailing `\` is an
    /// error that quotes the escape and its position, never bytes sent as typed.
    public static func decode(_ text: String, option: String = "--send") throws(ConfigError) -> [UInt8] {
        var out: [UInt8] = []
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            i += 1
            guard c == UInt8(ascii: "\\") else {
                out.append(c)
                continue
            }
            let at = i  // 1-based position of the backslash
            guard i < bytes.count else {
                throw ConfigError(option, "ends with a lone \\ at character \(at); write \\\\ for a backslash")
            }
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "r"): out.append(13)
            case UInt8(ascii: "n"): out.append(10)
            case UInt8(ascii: "t"): out.append(9)
            case UInt8(ascii: "0"): out.append(0)
            case UInt8(ascii: "\\"): out.append(e)
            case UInt8(ascii: "x"):
                guard i + 1 < bytes.count, let high = hexValue(bytes[i]), let low = hexValue(bytes[i + 1]) else {
                    let seen = String(decoding: bytes[(at - 1)..<min(at + 3, bytes.count)], as: UTF8.self)
                    throw ConfigError(option, "'\(seen)' at character \(at) needs two hex digits, as in \\x41")
                }
                out.append(high << 4 | low)
                i += 2
            default:
                let seen = String(decoding: bytes[(at - 1)...i - 1], as: UTF8.self)
                throw ConfigError(
                    option, "unknown escape '\(seen)' at character \(at); use \\r \\n \\t \\0 \\\\ or \\xHH")
            }
        }
        return out
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
