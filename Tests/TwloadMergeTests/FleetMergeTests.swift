import Foundation
import Testing
import TwloadHistogramLog
import TwloadModel
import TwloadReport
import TwloadStats

@testable import TwloadMerge

/// `twload merge` on two real agents' folders (Fixtures: `run --agent I/2 --rate 40 --duration 3 --out`
/// against one server), and on copies of them with a part missing or changed.
struct FleetMergeTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

    /// A scratch copy of the fixtures, for tests that damage them.
    func copy() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("twload-merge-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: Self.fixtures, to: dir)
        return dir
    }

    func table(_ text: String) throws -> CSVTable { try CSVTable(text: text, file: "merged.csv") }

    func column(_ t: CSVTable, _ name: String) -> [String] {
        guard let c = t.columnIndex(name) else { return [] }
        return (0..<t.rowCount).map { String(t.cell($0, c)) }
    }

    @Test func twoAgentsMergeIntoSummedCountersAndLatenciesFromTheirAddedHistograms() throws {
        let run = try FleetMerge.merge(
            folders: [Self.fixture("agent-0"), Self.fixture("agent-1")], watch: [], expect: nil)
        #expect(!run.summary.isPartial, "\(run.summary.partialReasons)")
        let merged = try table(run.csv)
        let agents = try (0..<2).map { i in
            try CSVTable(
                text: String(contentsOfFile: Self.fixture("agent-\(i)/agent-\(i).csv"), encoding: .utf8),
                file: "agent-\(i).csv")
        }
        for name in ["attempted", "established", "completed", "failed", "open", "tw_client", "late_skipped"] {
            let sums = (0..<3).map { r in agents.map { Int(column($0, name)[r]) ?? 0 }.reduce(0, +) }
            #expect(column(merged, name).map { Int($0) ?? -1 } == sums, "\(name)")
        }
        #expect(column(merged, "attempted") == ["40", "40", "40"])
        #expect(column(merged, "target_rate") == ["40", "40", "40"], "the agents' shares add up to the fleet's rate")
        #expect(column(merged, "agents_reporting") == ["2", "2", "2"])
        #expect(column(merged, "interval_index") == ["0", "1", "2"])
        #expect(column(merged, "run_id") == ["fixture", "fixture", "fixture"])
        // Each interval's p50, p99 and max are those of the two agents' histograms added together.
        let logs = try (0..<2).map { i in
            try HistogramLogReader.read(
                String(contentsOfFile: Self.fixture("agent-\(i)/agent-\(i).connect.hlog"), encoding: .utf8))
        }
        for r in 0..<3 {
            var h = logs[0].entries[r].histogram
            h.add(logs[1].entries[r].histogram)
            #expect(column(merged, "connect_p50_us")[r] == String(h.valueAtPercentile(50)))
            #expect(column(merged, "connect_p99_us")[r] == String(h.valueAtPercentile(99)))
            #expect(column(merged, "connect_max_us")[r] == String(h.maxRecorded))
        }
        // The merged log holds the same sums, bucket by bucket.
        let mergedLog = try HistogramLogReader.read(try #require(run.logs.first { $0.name == "connect" }).text)
        for r in 0..<3 {
            var h = logs[0].entries[r].histogram
            h.add(logs[1].entries[r].histogram)
            #expect(mergedLog.entries[r].histogram == h, "interval \(r)")
        }
        #expect(run.summary.total("attempted") == "120")
    }

    @Test func aMissingAgentMakesThePartialResultSayWhichAndRescalesNothing() throws {
        let run = try FleetMerge.merge(folders: [Self.fixture("agent-0")], watch: [], expect: 2)
        #expect(run.summary.isPartial)
        #expect(run.summary.partialReasons.contains("agent 1: no files found"), "\(run.summary.partialReasons)")
        let merged = try table(run.csv)
        #expect(column(merged, "agents_reporting") == ["1", "1", "1"])
        #expect(column(merged, "attempted") == ["20", "20", "20"], "one agent's half, not doubled to look whole")
    }

    @Test func anAgentKilledMidRunDropsAgentsReportingFromTheRowItNeverWrote() throws {
        let dir = try copy()
        defer { try? FileManager.default.removeItem(at: dir) }
        // SIGKILL after interval 0: one row, no manifest.
        let csv = dir.appendingPathComponent("agent-1/agent-1.csv")
        let lines = try String(contentsOf: csv, encoding: .utf8).split(separator: "\n")
        try (lines.prefix(2).joined(separator: "\n") + "\n").write(to: csv, atomically: true, encoding: .utf8)
        try "".write(to: dir.appendingPathComponent("agent-1/agent-1.json"), atomically: true, encoding: .utf8)
        let run = try FleetMerge.merge(
            folders: [dir.appendingPathComponent("agent-0").path, dir.appendingPathComponent("agent-1").path],
            watch: [],
            expect: 2)
        #expect(run.summary.isPartial)
        #expect(column(try table(run.csv), "agents_reporting") == ["2", "1", "1"])
        let reasons = run.summary.partialReasons.joined(separator: "\n")
        #expect(reasons.contains("agent 1: no agent-1.json"), "\(reasons)")
        #expect(reasons.contains("agent 1: no rows after interval 0: agents_reporting drops from interval 1"))
    }

    @Test func aTornLastRowIsLeftOutWithAWarningAndTheMergeIsPartial() throws {
        let dir = try copy()
        defer { try? FileManager.default.removeItem(at: dir) }
        // A copy taken while the agent was writing its last row: half a line, no newline.
        let csv = dir.appendingPathComponent("agent-1/agent-1.csv")
        let text = try String(contentsOf: csv, encoding: .utf8)
        let lastRow = text.index(after: try #require(text.dropLast().lastIndex(of: "\n")))
        try String(text[..<lastRow] + text[lastRow...].prefix(20)).write(to: csv, atomically: true, encoding: .utf8)
        let run = try FleetMerge.merge(
            folders: [dir.appendingPathComponent("agent-0").path, dir.appendingPathComponent("agent-1").path],
            watch: [],
            expect: nil)
        #expect(
            run.summary.warnings.contains { $0.contains("agent-1.csv:4: torn last line") }, "\(run.summary.warnings)")
        #expect(column(try table(run.csv), "agents_reporting") == ["2", "2", "1"])
        #expect(run.summary.isPartial)
    }

    @Test func agentsOfDifferentRunsAreRefusedNamingBoth() throws {
        let dir = try copy()
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = dir.appendingPathComponent("agent-1/agent-1.csv")
        let text = try String(contentsOf: csv, encoding: .utf8).replacingOccurrences(of: ",fixture,", with: ",other,")
        try text.write(to: csv, atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(at: dir.appendingPathComponent("agent-1/agent-1.json"))
        #expect {
            try FleetMerge.merge(
                folders: [dir.appendingPathComponent("agent-0").path, dir.appendingPathComponent("agent-1").path],
                watch: [], expect: nil)
        } throws: { error in
            "\(error)".contains("agent 1 belongs to run 'other', agent 0 to 'fixture'")
        }
    }

    @Test func oneAgentsFilesInTwoFoldersAreRefused() throws {
        let dir = try copy()
        defer { try? FileManager.default.removeItem(at: dir) }
        let second = dir.appendingPathComponent("again")
        try FileManager.default.copyItem(at: dir.appendingPathComponent("agent-0"), to: second)
        #expect {
            try FleetMerge.merge(folders: [Self.fixture("agent-0"), second.path], watch: [], expect: nil)
        } throws: { error in
            "\(error)".contains("agent 0 has files here and in")
        }
        #expect {
            try FleetMerge.merge(folders: [Self.fixture("agent-0"), Self.fixture("agent-0")], watch: [], expect: nil)
        } throws: { error in
            "\(error)".contains("given twice")
        }
    }

    @Test func aFolderWithoutAgentFilesIsNoInput() throws {
        #expect {
            try FleetMerge.merge(folders: [Self.fixtures.deletingLastPathComponent().path], watch: [], expect: nil)
        } throws: { error in
            guard case MergeFailure.noInput(let m) = error else { return false }
            return m.contains("no agent files")
        }
    }

    @Test func expectDisagreeingWithTheAgentsIsRefused() throws {
        #expect {
            try FleetMerge.merge(folders: [Self.fixture("agent-0")], watch: [], expect: 3)
        } throws: { error in
            "\(error)".contains("--expect 3, but the agents ran as 2")
        }
    }

    @Test func everyMetricWithACellDeclaresHowItMerges() {
        for m in MetricTable.all where m.cell != nil {
            switch m.merge {
            case .latency: #expect(m.unit == .microseconds, "\(m.name)")
            case .maximum: #expect(m.unit == .seconds || m.unit == .milliseconds, "\(m.name)")
            case .sum: #expect(m.unit != .microseconds, "\(m.name): a latency cannot be summed")
            }
        }
    }
}
