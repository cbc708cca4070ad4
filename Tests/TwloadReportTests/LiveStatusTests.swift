import Testing
import TwloadModel
import TwloadStats

@testable import TwloadReport

/// The live status line: when it is shown, what it says, and that it never wraps a terminal.
@Suite struct LiveStatusTests {
    // MARK: When it is shown

    @Test(arguments: [
        // (quiet, progress, stderr is a terminal, CSV on that terminal) -> display
        (false, false, true, false, LiveStatusDisplay.inPlace),
        (false, false, true, true, .hidden),  // the default: CSV on stdout, on the same terminal
        (false, false, false, false, .hidden),
        (true, false, true, false, .hidden),
        (false, true, false, false, .lines),  // --progress into a pipe or a file
        (false, true, true, true, .lines),  // --progress on the CSV's terminal: a row never glued on
        (false, true, true, false, .inPlace),
    ])
    func theStatusLineIsShownOnlyOnATerminalOfItsOwnUnlessForced(
        quiet: Bool, progress: Bool, terminal: Bool, same: Bool, display: LiveStatusDisplay
    ) {
        #expect(
            LiveStatusDisplay.choose(
                quiet: quiet, progress: progress, stderrIsTerminal: terminal, csvOnSameTerminal: same)
                == display)
    }

    // MARK: What it says

    private func row(connectMicros: UInt64, callMicros: UInt64) -> IntervalRow {
        var c = IntervalCounters()
        c.attempted = 2000
        c.established = 1998
        c.failed = 2
        var l = LatencyHistograms()
        _ = l.connect.record(connectMicros, count: 100)
        _ = l.connectCall.record(callMicros, count: 100)
        return IntervalRow(
            elapsedSeconds: 7, unixMillis: 1_700_000_000_000, targetRate: 2000, counters: c, latency: l, open: 3,
            timeWait: TimeWaitCounts(total: 14000), server: nil, isFinal: false)
    }

    @Test func theLatencyIsConnectP99FromTheSchedule() {
        // The probe labelled the connect() call time "connect() p99"; users read "connect" as the schedule's.
        let line = LiveStatus.line(row(connectMicros: 900, callMicros: 40))
        #expect(line == "7.000s  established 1998  failed 2  missed 0  tw 14000  connect p99 900 us")
    }

    @Test func theLineFitsEightyColumnsAsItIs() {
        #expect(LiveStatus.line(row(connectMicros: 123_456, callMicros: 40)).utf8.count < 80)
    }

    // MARK: Never wrapping

    @Test(arguments: [80, 60, 40, 20, 5])
    func aFittedLineLeavesTheLastColumnFreeAndEndsOnAWholeField(columns: Int) {
        let line = LiveStatus.line(row(connectMicros: 900, callMicros: 40))
        let fitted = LiveStatus.fitted(line, columns: columns)
        #expect(fitted.utf8.count <= columns - 1, "\(fitted)")
        if fitted.count >= 7 { #expect(line.hasPrefix(fitted)) }
        let fields = line.split(separator: "  ").map(String.init)
        if fitted.utf8.count > fields[0].utf8.count {
            #expect(fields.indices.contains { fields[...$0].joined(separator: "  ") == fitted }, "\(fitted)")
        }
    }

    @Test func aFieldTooLongForTheTerminalIsCutNotWrapped() {
        #expect(LiveStatus.fitted("1234567890  abc", columns: 6) == "12345")
    }

    @Test func nonASCIIBecomesOneQuestionMarkPerCharacter() {
        #expect(LiveStatus.fitted("p99 5 µs", columns: 80) == "p99 5 ?s")
        #expect(LiveStatus.plain("a\u{1B}[Kb") == "a?[Kb\n")
    }

    @Test func aRedrawReturnsToTheStartAndErasesTheOldLine() {
        #expect(LiveStatus.redraw("1.000s  failed 0", columns: 80) == "\r\u{1B}[K1.000s  failed 0")
    }

    @Test func aPlainLineHasNoEscapeAndEndsInANewline() {
        let text = LiveStatus.plain(LiveStatus.line(row(connectMicros: 900, callMicros: 40)))
        #expect(!text.contains("\u{1B}") && !text.contains("\r"))
        #expect(text.hasSuffix(" us\n"))
    }
}
