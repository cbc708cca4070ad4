import TwloadReport
import TwloadRun
import TwloadSystem

/// Standard error: the one place twload's words are written. It is the reporter every run gets.
struct Stderr: RunReporter {
    /// What the user asked of stderr: everything (the default), `--quiet` or `--progress`.
    enum Mode: Sendable, Equatable {
        case normal, quiet, progress
    }

    let mode: Mode

    init(_ mode: Mode = .normal) {
        self.mode = mode
    }

    /// Writes `text` as it is (a write error, e.g. a closed stderr, has nowhere to be reported).
    static func write(_ text: String) {
        try? OutputFile.standardError().write(text)
    }

    /// Writes `text` (whole lines) wrapped to the terminal's width when stderr is a terminal that says how
    /// wide it is; as it is otherwise (a pipe or a file keeps one line per line).
    static func writeLines(_ text: String) {
        write(Terminal.columns(2).map { TerminalText.wrapped(text, columns: $0) } ?? text)
    }

    /// Writes `text` to standard output (a completion script, which the user's shell reads).
    static func writeStandardOutput(_ text: String) {
        try? OutputFile.standardOutput().write(text)
    }

    /// A note or warning, one line, prefixed with "twload: ".
    static func note(_ line: String) {
        writeLines("twload: \(line)\n")
    }

    /// A note, unless `--quiet`.
    func note(_ line: String) { if mode != .quiet { Self.note(line) } }
    /// A warning, even with `--quiet`.
    func warning(_ line: String) { Self.note("warning: " + line) }
    /// The preflight block, unless `--quiet`.
    func preflight(_ text: String) { if mode != .quiet { Self.writeLines(text) } }

    /// The status line's display, by `LiveStatusDisplay.choose`: stderr must be a terminal that the CSV does
    /// not also go to, unless `--progress` or `--quiet` says otherwise.
    func liveStatusDisplay(csvDescriptor: Int32) -> LiveStatusDisplay {
        .choose(
            quiet: mode == .quiet, progress: mode == .progress, stderrIsTerminal: Terminal.isTerminal(2),
            csvOnSameTerminal: Terminal.areSame(csvDescriptor, 2))
    }

    /// The terminal's width now (one ioctl per redraw, so a resized window is followed).
    var statusColumns: Int? { Terminal.columns(2) }

    func liveStatus(_ text: String) { Self.write(text) }
}
