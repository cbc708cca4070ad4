import TwloadRun
import TwloadSystem

/// Standard error: the one place twload's words are written. It is the reporter every run gets.
struct Stderr: RunReporter {
    /// Writes `text` as it is (a write error, e.g. a closed stderr, has nowhere to be reported).
    static func write(_ text: String) {
        try? OutputFile.standardError().write(text)
    }

    /// A note or warning, one line, prefixed with "twload: ".
    static func note(_ line: String) {
        write("twload: \(line)\n")
    }

    func note(_ line: String) { Self.note(line) }
    func preflight(_ text: String) { Self.write(text) }
    var wantsLiveStatus: Bool { OutputFile.standardError().isTerminal }
    /// Redraws the status on its line: carriage return, clear to the end of the line, then the text.
    func liveStatus(_ line: String) { Self.write("\r\u{1B}[K" + line) }
    func endLiveStatus() { Self.write("\n") }
}
