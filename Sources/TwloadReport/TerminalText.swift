/// Text for a terminal of a known width: the preflight block, notes and the summary are wrapped at spaces
/// before they reach it, so that no line runs past the right edge (a terminal that wraps a line itself
/// breaks words and loses the indentation that groups the lines).
public enum TerminalText {
    /// `text` with each line longer than `columns - 1` characters broken at spaces; a continuation line is
    /// indented two more spaces than the line it continues. A word longer than the line is cut. The text is
    /// counted in characters, which is columns for the Latin text, arrows and signs twload writes.
    public static func wrapped(_ text: String, columns: Int) -> String {
        let width = max(columns - 1, 20)
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { wrapLine(String($0), width: width) }
            .joined(separator: "\n")
    }

    static func wrapLine(_ line: String, width: Int) -> String {
        guard line.count > width else { return line }
        let indent = String(line.prefix { $0 == " " })
        let continuation = indent + "  "
        var lines: [String] = []
        var current = indent
        var currentHasWord = false
        for word in line.dropFirst(indent.count).split(separator: " ") {
            let room = width - current.count - (currentHasWord ? 1 : 0)
            if word.count <= room {
                current += (currentHasWord ? " " : "") + word
                currentHasWord = true
                continue
            }
            if currentHasWord { lines.append(current) }
            current = continuation
            var rest = Substring(word)
            while rest.count > width - continuation.count {
                let cut = rest.prefix(width - continuation.count)
                lines.append(continuation + cut)
                rest = rest.dropFirst(cut.count)
            }
            current += rest
            currentHasWord = true
        }
        lines.append(current)
        return lines.joined(separator: "\n")
    }
}
