import TwloadSystem

/// Standard error, for notes, warnings and the summary.
public enum Console {
    public static func writeError(_ text: String) {
        try? OutputFile.standardError().write(text)
    }
}
