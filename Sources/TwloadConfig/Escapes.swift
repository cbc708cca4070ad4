import TwloadModel

/// Decodes C-style escapes in `--send` text into the bytes to send. `named` and `\xHH` are the whole list:
/// the option's help, the README (made from that help) and the error for an unknown escape all quote `list`.
public enum Escapes {
    /// Each one-letter escape and the byte it stands for.
    public static let named: [(letter: UInt8, byte: UInt8)] = [
        (UInt8(ascii: "r"), 13), (UInt8(ascii: "n"), 10), (UInt8(ascii: "t"), 9), (UInt8(ascii: "0"), 0),
        (UInt8(ascii: "\\"), UInt8(ascii: "\\")),
    ]

    /// Every escape, as typed: `\r \n \t \0 \\ \xHH`.
    public static var list: [String] {
        named.map { "\\" + String(decoding: [$0.letter], as: UTF8.self) } + ["\\xHH"]
    }

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
            if let byte = named.first(where: { $0.letter == e })?.byte {
                out.append(byte)
                continue
            }
            switch e {
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
                    option,
                    "unknown escape '\(seen)' at character \(at); use \(list.dropLast().joined(separator: " ")) or "
                        + list.last!)
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
