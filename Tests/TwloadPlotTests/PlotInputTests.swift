import Testing
import TwloadModel

@testable import TwloadPlot

/// Bad input is a one-line `PlotError` naming the file and line; no input traps.
struct PlotInputTests {
    static func error(_ csv: String) -> PlotError? {
        do {
            _ = try Plot.render(csv: csv, csvFile: "run.csv", format: .svg)
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: [
        ("elapsed_s,attempted\n1,2\n2,3,4\n", "run.csv:3: 3 cells, the header has 2"),
        ("elapsed_s,attempted\n1,2\n2,lots\n", "run.csv:3: attempted: 'lots' is not a number"),
        ("elapsed_s,attempted\n1,2\n2,nan\n", "run.csv:3: attempted: 'nan' is not a number"),
        ("time,attempted\n1,2\n", "run.csv:1: no elapsed_s column: not a twload CSV"),
        ("elapsed_s,a,a\n1,2,3\n", "run.csv:1: column 'a' appears twice"),
        ("", "run.csv: empty file: not a twload CSV"),
        ("elapsed_s,attempted\n", "run.csv: no rows after the header"),
        ("elapsed_s,attempted\n1,2\n,3\n", "run.csv:3: elapsed_s is empty"),
    ])
    func badCSVErrorNamesFileAndLine(csv: String, message: String) throws {
        let e = try #require(Self.error(csv))
        #expect(e.description == message)
        #expect(!e.description.contains("\n"))
    }

    @Test func tornLastLineIsLeftOutWithANote() throws {
        let out = try Plot.render(
            csv: "elapsed_s,attempted,tw_client\n1,2,3\n2,3,4\n3,4", csvFile: "run.csv", format: .svg)
        #expect(out.notes == ["run.csv:4: torn last line (2 cells, no newline) left out"])
        // A whole last line without its newline is used.
        let whole = try Plot.render(csv: "elapsed_s,attempted\n1,2\n2,3", csvFile: "run.csv", format: .svg)
        #expect(whole.notes.isEmpty)
    }

    @Test func windowsLineEndsAndAByteOrderMarkAreRead() throws {
        let out = try Plot.render(csv: "\u{FEFF}elapsed_s,attempted\r\n1,2\r\n2,3\r\n", csvFile: "r.csv", format: .svg)
        #expect(out.text.contains("data-column=\"attempted\""))
    }

    @Test(arguments: [
        ("{", "run.json:1: not JSON: expected a member name in quotes"),
        ("{\n\"schema_version\": 1,\n\"metrics\": [1,}\n", "run.json:3: not JSON: expected a value"),
        ("[]", "run.json: not a twload summary: not an object"),
        ("{\"metrics\": {}}", "run.json: not a twload summary: no number \"schema_version\""),
        ("{\"schema_version\": 2, \"metrics\": {}}", "run.json: schema_version 2; this twload reads version 1"),
        ("{\"schema_version\": 1}", "run.json: not a twload summary: no \"metrics\" object"),
        (
            "{\"schema_version\": 1, \"metrics\": {\"rate\": \"fast\"}}",
            "run.json: metrics.rate: a number or null was expected"
        ),
    ])
    func badSummaryErrorNamesTheFile(json: String, message: String) {
        #expect(throws: PlotError.self) { try RunSummary(text: json, file: "run.json") }
        do {
            _ = try RunSummary(text: json, file: "run.json")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func summaryNullIsNeverAndOtherKeysAreIgnored() throws {
        let s = try RunSummary(text: PlotFixtures.summary, file: "s.json")
        #expect(s.metrics["predicted_steady_tw_server"] == .infinity)
        #expect(s.finite("predicted_steady_tw_server") == nil)
        #expect(s.finite("first_slow_connect_s") == 7)
    }

    @Test func deeplyNestedJSONIsRefusedNotRecursedInto() {
        let deep = String(repeating: "[", count: 100_000)
        #expect(throws: PlotError.self) { try RunSummary(text: deep, file: "deep.json") }
    }

    /// Random bytes, and random edits of a good CSV and summary: each renders or fails with a PlotError.
    @Test func anyInputRendersOrFailsWithAPlotErrorNeverATrap() {
        var seed: UInt64 = 7
        func next(_ n: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(seed >> 33) % max(n, 1)
        }
        let good = PlotFixtures.csv(PlotFixtures.allRunColumns, rows: 12, cell: PlotFixtures.collapseCell)
        let alphabet = Array("0123456789,.-e\n\r\"{}[]:nul ,,\n".utf8)
        for round in 0..<400 {
            var bytes = Array(good.utf8)
            for _ in 0..<(1 + next(8)) {
                let at = next(bytes.count)
                switch next(3) {
                case 0: bytes[at] = alphabet[next(alphabet.count)]
                case 1: bytes.remove(at: at)
                default: bytes.insert(alphabet[next(alphabet.count)], at: at)
                }
            }
            if round % 4 == 0 { bytes = (0..<next(300)).map { _ in alphabet[next(alphabet.count)] } }
            let text = String(decoding: bytes, as: UTF8.self)
            _ = try? Plot.render(csv: text, csvFile: "f.csv", format: .html)
            var summary = Array(PlotFixtures.summary.utf8)
            if !summary.isEmpty { summary[next(summary.count)] = alphabet[next(alphabet.count)] }
            _ = try? Plot.render(
                csv: good, csvFile: "f.csv", summary: String(decoding: summary, as: UTF8.self), format: .svg)
        }
    }
}
