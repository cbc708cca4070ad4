import Foundation
import Testing
import TwloadTestSupport

/// `twload merge` as a user runs it, on two real agents' folders (`Tests/TwloadMergeTests/Fixtures`).
struct MergeCommandTests {
    static let fixtures = SummaryJSONTests.repository.appendingPathComponent("Tests/TwloadMergeTests/Fixtures")
    static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

    func scratch() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("twload-merge-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func aCompleteMergeWritesTheCSVOneLogPerLatencyAndASummaryTheSchemaAccepts() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = try Harness.twload([
            "merge", Self.fixture("agent-0"), Self.fixture("agent-1"), "-o", dir.path + "/m.csv", "--summary-json",
            dir.path + "/m.json",
        ])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stderr.contains("twload merge: run fixture, 2 of 2 agents, 3 intervals of 1 s: complete"))
        #expect(out.stderr.contains("attempted 120, established 120"), "\(out.stderr)")
        for name in ["connect", "connect_call", "lag", "response", "first_byte"] {
            #expect(FileManager.default.fileExists(atPath: dir.path + "/m.\(name).hlog"), "\(name)")
        }
        let csv = CSV(try String(contentsOfFile: dir.path + "/m.csv", encoding: .utf8))
        #expect(csv.ints("agents_reporting") == [2, 2, 2])
        // A merged run plots like a single one.
        let plot = try Harness.twload(["plot", dir.path + "/m.csv", "-o", dir.path + "/m.svg"])
        #expect(plot.status == 0, "\(plot.stderr)")
        guard SummaryJSONTests.python != nil else {
            print(PythonOracle.skipReason(package: "jsonschema"))
            return
        }
        let schemas = SummaryJSONTests.repository.appendingPathComponent("docs")
        let check = SummaryJSONTests()
        #expect(try check.schemaError(dir.path + "/m.json", schema: schemas.path + "/merge.schema.json") == nil)
        // The agents' own manifests are run summaries with an `agent` object.
        #expect(try check.schemaError(Self.fixture("agent-0/agent-0.json")) == nil)
    }

    @Test func aMissingAgentIsAPartialMergeWithStatus3() throws {
        let out = try Harness.twload(["merge", Self.fixture("agent-0"), "--expect", "2"])
        #expect(out.status == 3, "\(out.stderr)")
        #expect(out.stderr.contains("PARTIAL"))
        #expect(out.stderr.contains("partial: agent 1: no files found"))
        #expect(CSV(out.stdout).ints("agents_reporting") == [1, 1, 1], "the rows still come, on stdout")
    }

    @Test(arguments: [
        (["merge", "/nonexistent-dir"], Int32(66), "/nonexistent-dir: cannot read the folder"),
        (["merge"], Int32(64), "DIR"),
        (["merge", "/tmp", "--expect", "0"], Int32(64), "--expect"),
        (["merge", "FIXTURE", "-o", "/nonexistent-dir/m.csv"], Int32(73), "/nonexistent-dir/m.csv: cannot write"),
    ])
    func badInputGivesOneLineAndItsStatus(args: [String], status: Int32, text: String) throws {
        let out = try Harness.twload(args.map { $0 == "FIXTURE" ? Self.fixture("agent-0") : $0 })
        #expect(out.status == status, "\(args): \(out.stderr)")
        #expect(out.stderr.split(separator: "\n").count == 1, "\(out.stderr)")
        #expect(out.stderr.contains(text), "\(out.stderr)")
    }

    @Test func aMalformedAgentCSVIsADataErrorNamingItsLine() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(atPath: Self.fixture("agent-0"), toPath: dir.path + "/a")
        let path = dir.path + "/a/agent-0.csv"
        let text = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(
            of: ",fixture,0,1\n", with: ",fixture,0,x\n")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let out = try Harness.twload(["merge", dir.path + "/a"])
        #expect(out.status == 65, "\(out.stderr)")
        #expect(out.stderr.contains("agent-0.csv:3: interval_index 'x'"), "\(out.stderr)")
    }
}
