import Foundation
import Testing

/// What a user sees on a real terminal: twload runs under `script`, which gives it a pseudo-terminal as
/// stdout and stderr (one terminal, as in a shell) and copies everything written there. Loopback only,
/// against the built-in server; runs of a few seconds.
@Suite(
    .serialized,
    .enabled(
        if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script"),
        "needs /usr/bin/script (util-linux) for a pseudo-terminal"))
struct TerminalOutputTests {
    /// What the terminal received while `arguments` ran on it, `columns` wide, and twload's exit status.
    static func onTerminal(_ arguments: [String], columns: Int = 80) throws -> (transcript: String, status: Int32) {
        let words = arguments.map { "'" + $0 + "'" }.joined(separator: " ")
        let command = "stty cols \(columns) rows 24; exec '\(Harness.binary)' \(words)"
        let out = try Harness.run(
            "/bin/bash", ["-c", "exec /usr/bin/script -qfec \"$0\" /dev/null < /dev/null", command], timeout: 40)
        return (out.stdout, out.status)
    }

    /// The lines a terminal shows: split at newlines and carriage returns, with the erase-line escape gone.
    static func visibleLines(_ transcript: String) -> [String] {
        transcript.replacing("\u{1B}[K", with: "").split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
            .map(String.init)
    }

    @Test func csvOnTheTerminalComesWithoutStatusTextInItsRows() throws {
        // The probe: the status line on stderr, then the next CSV row glued onto it on the same terminal.
        let (transcript, status) = try Self.onTerminal(["--rate", "2000", "--close", "client", "--duration", "5"])
        #expect(status == 0, "\(transcript)")
        #expect(!transcript.contains("\u{1B}"), "an escape code reached the terminal")
        let lines = transcript.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        let header = try #require(lines.first { $0.hasPrefix("elapsed_s,") }, "\(transcript)")
        let columns = header.split(separator: ",", omittingEmptySubsequences: false).count
        let rows = lines.filter { $0.first?.isNumber == true && $0.contains(",") }
        #expect(rows.count >= 5, "\(transcript)")
        for row in rows {
            #expect(row.split(separator: ",", omittingEmptySubsequences: false).count == columns, "\(row)")
            #expect(!row.contains("  ") && !row.contains("\r") && !row.contains("connect p99"), "\(row)")
        }
        #expect(!lines.contains { $0.contains("  established ") }, "a status line was printed")
        #expect(transcript.contains("twload summary:"))
    }

    @Test(arguments: [80, 40])
    func withTheCSVInAFileTheStatusIsRedrawnInPlaceWithinTheWidth(columns: Int) throws {
        let csv = FileManager.default.temporaryDirectory.appendingPathComponent("twload-tty-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: csv) }
        let (transcript, status) = try Self.onTerminal(
            ["--rate", "200", "--linger", "0", "--duration", "3", "--csv", csv.path], columns: columns)
        #expect(status == 0, "\(transcript)")
        let redraws = transcript.components(separatedBy: "\r\u{1B}[K").dropFirst()
        #expect(redraws.count >= 3, "\(transcript)")
        // Each redraw is the status alone: the next one, or the newline that ends the run, follows it.
        for r in redraws.dropLast() { #expect(!r.contains("\n") && !r.contains("\r"), "\(r)") }
        let statuses = Self.visibleLines(transcript).filter { $0.contains("s  established ") }
        #expect(statuses.count >= 3, "\(transcript)")
        if columns == 80 { #expect(statuses.allSatisfy { $0.contains("connect p99") }, "\(statuses)") }
        for line in Self.visibleLines(transcript) { #expect(line.count < columns, "\(line.count) columns: \(line)") }
        #expect(Harness.read(csv).split(separator: "\n").count >= 4)
    }

    @Test func quietShowsNoStatusAndNoSummary() throws {
        let csv = FileManager.default.temporaryDirectory.appendingPathComponent("twload-tty-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: csv) }
        let (transcript, status) = try Self.onTerminal(
            ["--rate", "200", "--linger", "0", "--duration", "2", "--csv", csv.path, "--quiet"])
        #expect(status == 0)
        #expect(transcript.isEmpty, "\(transcript)")
        #expect(Harness.read(csv).split(separator: "\n").count == 3)
    }

    @Test func quietStillReportsAFailedThreshold() throws {
        let (transcript, status) = try Self.onTerminal(
            [
                "--rate", "20", "--linger", "0", "--duration", "1", "--csv", "/dev/null", "--quiet", "--fail-on",
                "attempted == 0",
            ])
        #expect(status == 1)
        #expect(transcript.hasPrefix("twload: threshold: FAIL  attempted == 0"), "\(transcript)")
        #expect(!transcript.contains("summary"))
    }

    @Test func progressIntoAPipePrintsOnePlainLinePerInterval() throws {
        let out = try Harness.twload(
            ["--rate", "50", "--linger", "0", "--duration", "3", "--csv", "/dev/null", "--progress"], timeout: 30)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(!out.stderr.contains("\u{1B}") && !out.stderr.contains("\r"))
        let statuses = out.stderr.split(separator: "\n").filter { $0.contains("s  established ") }
        #expect(statuses.count == 3, "\(out.stderr)")
        #expect(statuses.allSatisfy { $0.first?.isNumber == true && $0.contains("connect p99") }, "\(statuses)")
    }

    @Test func withoutProgressAPipeGetsNoStatus() throws {
        let out = try Harness.twload(["--rate", "50", "--linger", "0", "--duration", "1", "--csv", "/dev/null"])
        #expect(out.status == 0)
        #expect(!out.stderr.contains("s  established "), "\(out.stderr)")
    }
}
