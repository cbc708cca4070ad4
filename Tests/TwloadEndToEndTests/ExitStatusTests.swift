import Foundation
import Testing

/// The README's exit-status table and `twload --help` list the same statuses, and each one is produced by a
/// case here that makes it happen for the reason the table gives. Load runs are small (loopback, at most 20
/// connections) and bounded.
struct ExitStatusTests {
    /// How to make one status happen, and a piece of stderr that shows it happened for the documented reason.
    struct Case: Sendable, CustomTestStringConvertible {
        let status: Int32
        /// The command: twload's arguments, or another program that starts twload (`Harness.binary` is `$TWLOAD`).
        let command: [String]
        /// A signal sent 1 s after start.
        var signal: Int32?
        let stderr: String

        var testDescription: String { "\(status)" }

        /// The program and its arguments.
        var invocation: (String, [String]) {
            let words = command.map { $0 == "$TWLOAD" ? Harness.binary : $0 }
            return words.first?.hasPrefix("/") == true
                ? (words[0], Array(words.dropFirst())) : (Harness.binary, words)
        }
    }

    static let run = ["--rate", "20", "--csv", "/dev/null", "--linger", "0"]

    static let cases: [Case] = [
        Case(status: 0, command: run + ["--duration", "500ms"], stderr: "completed 10"),
        Case(status: 1, command: run + ["--duration", "500ms", "--fail-on", "attempted == 0"], stderr: "FAIL"),
        // 100 per-socket ports at 2,000/s run out after 0.05 s, whatever the host's tcp_tw_reuse (2 s of
        // reuse delay would need 4,000 ports). check sends nothing.
        Case(
            status: 1, command: ["check", "--rate", "2000", "--duration", "1s", "--source-ports", "40000-40099"],
            stderr: "twload check: FAIL: the source ports would run out (EADDRNOTAVAIL) at 0.05 s"),
        Case(
            status: 3, command: ["merge", MergeCommandTests.fixture("agent-0"), "--expect", "2"],
            stderr: "partial: agent 1: no files found"),
        Case(status: 64, command: ["--rate", "0"], stderr: "--rate: must be greater than 0"),
        // A shared start in 2001 (Unix second 1,000,000,000): far later than --max-late allows.
        Case(
            status: 75, command: run + ["--duration", "1s", "--start-at", "1000000000"],
            stderr: "more than --max-late 1.000 s; it records nothing"),
        Case(
            status: 65, command: ["plot", PlotCommandTests.fixture("malformed.csv"), "-o", "/dev/null.svg"],
            stderr: "malformed.csv:3: 3 cells, the header has 2"),
        Case(
            status: 66, command: ["plot", "/nonexistent-dir/run.csv", "-o", "/dev/null.svg"],
            stderr: "/nonexistent-dir/run.csv: cannot read"),
        // 192.0.2.1 (TEST-NET-1) is no address of this host: bind() refuses it.
        Case(status: 71, command: ["serve", "--listen", "192.0.2.1:0", "--duration", "1s"], stderr: "EADDRNOTAVAIL"),
        Case(status: 73, command: run + ["--duration", "1s", "--csv", "/nonexistent-dir/x.csv"], stderr: "--csv"),
        Case(
            status: 73, command: ["plot", PlotCommandTests.fixture("short-run.csv"), "-o", "/nonexistent-dir/x.svg"],
            stderr: "/nonexistent-dir/x.svg: cannot write"),
        // /dev/full refuses every write with ENOSPC: the header already fails, and the summary still comes.
        Case(
            status: 74, command: run + ["--duration", "1s", "--csv", "/dev/full"],
            stderr: "twload summary:"),
        // In a user namespace without a uid mapping, twload may create neither a network namespace nor a
        // nested user namespace: the lab cannot start, as for a user without the privilege.
        Case(
            status: 77, command: ["/usr/bin/unshare", "-U", "$TWLOAD", "lab"] + run + ["--duration", "1s"],
            stderr: "cannot create a private network namespace"),
        Case(status: 130, command: run + ["--duration", "10s"], signal: SIGINT, stderr: "twload summary:"),
        Case(status: 131, command: run + ["--duration", "10s"], signal: SIGQUIT, stderr: "twload summary:"),
        Case(status: 143, command: run + ["--duration", "10s"], signal: SIGTERM, stderr: "twload summary:"),
    ]

    static let readmePath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("README.md").path

    /// The statuses in the README's table under "## Exit status", in order.
    static func readmeStatuses() throws -> [Int32] {
        let readme = try String(contentsOfFile: readmePath, encoding: .utf8)
        let lines = readme.split(separator: "\n", omittingEmptySubsequences: false)
        let heading = try #require(lines.firstIndex(of: "## Exit status"))
        let table = lines[(heading + 1)...].drop { !$0.hasPrefix("|") }.prefix { $0.hasPrefix("|") }
        return table.compactMap { row in
            Int32(row.split(separator: "|").first?.trimmingCharacters(in: .whitespaces) ?? "")
        }
    }

    /// The statuses listed under "EXIT STATUS:" in `twload --help`, in order.
    static func helpStatuses() throws -> [Int32] {
        let out = try Harness.twload(["--help"], timeout: 20)
        #expect(out.status == 0)
        let lines = out.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        let heading = try #require(lines.firstIndex(of: "EXIT STATUS:"), "\(out.stdout)")
        return lines[(heading + 1)...].prefix { !$0.isEmpty }.compactMap { line in
            line.hasPrefix("  ") ? Int32(line.split(separator: " ").first ?? "") : nil
        }
    }

    @Test func readmeAndHelpListTheSameStatuses() throws {
        let readme = try Self.readmeStatuses()
        #expect(readme.count >= 10, "\(readme)")
        #expect(try Self.helpStatuses() == readme)
    }

    @Test func everyDocumentedStatusHasACaseHere() throws {
        #expect(Array(Set(Self.cases.map(\.status))).sorted() == (try Self.readmeStatuses()))
    }

    @Test(arguments: cases)
    func documentedStatusHappens(_ c: Case) throws {
        if c.status == 77, !FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare") {
            print("skipped status 77: needs /usr/bin/unshare (util-linux)")
            return
        }
        let (program, arguments) = c.invocation
        let out = try Harness.run(program, arguments, timeout: 30) { p in
            guard let signal = c.signal else { return }
            Thread.sleep(forTimeInterval: 1)
            kill(p.processIdentifier, signal)
        }
        if c.status == 77, out.stderr.hasPrefix("unshare:") {
            print("skipped status 77: this kernel refuses user namespaces here (\(out.stderr))")
            return
        }
        #expect(out.status == c.status, "\(c.command): \(out.stderr)")
        #expect(out.stderr.contains(c.stderr), "\(c.command): \(out.stderr)")
    }
}
