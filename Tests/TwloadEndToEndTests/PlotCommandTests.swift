import Foundation
import Testing

/// `twload plot` as a user runs it: on a real run's CSV, on bad input, and on the README's committed picture.
struct PlotCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The path of a file in Tests/TwloadEndToEndTests/Fixtures.
    static func fixture(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
            .appendingPathComponent(name).path
    }

    static func scratch() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("twload-plot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// A real run against the built-in server (loopback, 3 s at 500/s), its CSV at `dir/run.csv`.
    static func shortRun(in dir: URL) throws -> String {
        let csv = dir.appendingPathComponent("run.csv").path
        let out = try Harness.twload(["--rate", "500", "--duration", "3", "--csv", csv], timeout: 30)
        #expect(out.status == 0, "\(out.stderr)")
        return csv
    }

    @Test func plotOfARealRunWritesAnSVGAndAnHTMLPageWithFourPanels() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = try Self.shortRun(in: dir)
        for name in ["run.svg", "run.html"] {
            let path = dir.appendingPathComponent(name).path
            let out = try Harness.twload(["plot", csv, "-o", path], timeout: 30)
            #expect(out.status == 0, "\(out.stderr)")
            #expect(out.stderr.isEmpty && out.stdout.isEmpty, "\(out.stderr)")
            let text = Harness.read(URL(fileURLWithPath: path))
            #expect(text.components(separatedBy: "<g class=\"panel\"").count - 1 == 4, "\(name)")
            for column in ["attempted", "established", "tw_client", "connect_p99_us", "eaddrnotavail"] {
                #expect(text.contains("data-column=\"\(column)\""), "\(name): \(column)")
            }
            #expect(text.contains("twload plot: run.csv"))
        }
    }

    @Test(arguments: [
        (["plot", fixture("malformed.csv"), "-o", "/tmp/twload-plot-unused.svg"], 65, "malformed.csv:3: 3 cells"),
        (["plot", "/nonexistent-dir/run.csv", "-o", "/tmp/twload-plot-unused.svg"], 66, "cannot read"),
        (["plot", fixture("short-run.csv"), "-o", "/tmp/twload-plot-unused.png"], 64, "--output: must end in"),
        (["plot", fixture("short-run.csv")], 64, "--output"),
        (
            [
                "plot", fixture("short-run.csv"), "--summary", fixture("malformed.csv"), "-o",
                "/tmp/twload-plot-unused.svg",
            ],
            65, "malformed.csv:1: not JSON"
        ),
        (
            ["plot", fixture("short-run.csv"), "-o", "/nonexistent-dir/x.html"], 73,
            "/nonexistent-dir/x.html: cannot write"
        ),
    ])
    func badPlotInputExitsWithItsDocumentedStatusAndOneLine(args: [String], status: Int32, message: String) throws {
        let out = try Harness.twload(args, timeout: 20)
        #expect(out.status == status, "\(args): \(out.stderr)")
        #expect(out.stderr.split(separator: "\n").count == 1, "\(out.stderr)")
        #expect(out.stderr.hasPrefix("twload: error: ") && out.stderr.contains(message), "\(out.stderr)")
    }

    @Test func tornLastLineIsANoteNotAnError() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        var text = Harness.read(URL(fileURLWithPath: Self.fixture("short-run.csv")))
        text.removeLast(30)
        let csv = dir.appendingPathComponent("torn.csv")
        try text.write(to: csv, atomically: true, encoding: .utf8)
        let out = try Harness.twload(["plot", csv.path, "-o", dir.appendingPathComponent("t.svg").path])
        #expect(out.status == 0)
        #expect(out.stderr.contains("torn last line"), "\(out.stderr)")
    }

    /// The README's pictures cannot drift from what `twload plot` makes of the CSV and summary committed beside
    /// each: the collapse run's, and the capacity search's (`twload find`).
    @Test(arguments: ["collapse", "find"])
    func committedSVGIsWhatPlotMakesOfTheCommittedRun(name: String) throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let docs = Self.root.appendingPathComponent("docs")
        let made = dir.appendingPathComponent("\(name).svg")
        let out = try Harness.twload([
            "plot", docs.appendingPathComponent("\(name).csv").path, "--summary",
            docs.appendingPathComponent("\(name).json").path, "-o", made.path,
        ])
        #expect(out.status == 0, "\(out.stderr)")
        let committed = Harness.read(docs.appendingPathComponent("\(name).svg"))
        #expect(!committed.isEmpty)
        #expect(
            Harness.read(made) == committed,
            "docs/\(name).svg is stale: run `twload plot docs/\(name).csv --summary docs/\(name).json -o docs/\(name).svg`"
        )
    }
}
