import Testing

@testable import TwloadReport

/// The preflight, notes and summary wrapped for a terminal: no line past the edge, words kept whole,
/// indentation kept.
struct TerminalTextTests {
    @Test func aShortLineIsLeftAlone() {
        #expect(TerminalText.wrapped("  ports: 100\n", columns: 80) == "  ports: 100\n")
    }

    @Test func aLongLineBreaksAtSpacesWithAHangingIndent() {
        let line = "  tcp_tw_reuse=2 (delay 1000 ms), tcp_max_tw_buckets=131072, tcp_fin_timeout=60 s (FIN_WAIT_2 only)"
        let wrapped = TerminalText.wrapped(line, columns: 40)
        let lines = wrapped.split(separator: "\n")
        #expect(lines.allSatisfy { $0.count <= 39 }, "\(wrapped)")
        #expect(lines.first == "  tcp_tw_reuse=2 (delay 1000 ms),")
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("    ") && !$0.hasPrefix("     ") }, "\(wrapped)")
        #expect(lines.map { $0.trimmingPrefix(while: { $0 == " " }) }.joined(separator: " ") == line.dropFirst(2))
    }

    @Test func aWordLongerThanTheLineIsCut() {
        let wrapped = TerminalText.wrapped(String(repeating: "x", count: 50), columns: 21)
        #expect(wrapped.split(separator: "\n").allSatisfy { $0.count <= 20 }, "\(wrapped)")
        #expect(wrapped.filter { $0 == "x" }.count == 50)
    }

    @Test func nonASCIISignsCountAsOneColumnEach() {
        let line = "  ports: 32768-60999 (28232 ports) → 28232 usable × 1 source address"
        #expect(TerminalText.wrapped(line, columns: 80) == line)
    }
}
