/// Decodes C-style escapes in `--send` text: \r \n \t \0 \\ and \xHH, into the bytes to send.
public enum Escapes {
    public static func decode(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        var it = Array(text.utf8).makeIterator()
        while let c = it.next() {
            guard c == UInt8(ascii: "\\"), let e = it.next() else {
                out.append(c)
                continue
            }
            switch e {
            case UInt8(ascii: "r"): out.append(13)
            case UInt8(ascii: "n"): out.append(10)
            case UInt8(ascii: "t"): out.append(9)
            case UInt8(ascii: "0"): out.append(0)
            case UInt8(ascii: "\\"): out.append(e)
            case UInt8(ascii: "x"):
                let digits = [it.next(), it.next()].compactMap { $0 }
                if digits.count == 2, let v = UInt8(String(decoding: digits, as: UTF8.self), radix: 16) {
                    out.append(v)
                } else {
                    out += [UInt8(ascii: "\\"), e] + digits
                }
            default: out += [UInt8(ascii: "\\"), e]
            }
        }
        return out
    }
}
