import Foundation
import Testing

/// A fleet agent's shared start (`--start-at`, `--max-late`) and its output folder (`--out`), run against
/// the built-in server on loopback.
struct AgentStartTests {
    /// A scratch folder for one test's `--out`.
    func scratch() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("twload-agent-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Unix seconds `offset` from now, with milliseconds.
    func unixSeconds(from offset: Double) -> String {
        String(format: "%.3f", Date().timeIntervalSince1970 + offset)
    }

    @Test func anAgentTwoSecondsLateCountsWhatItMissedAsLateSkippedAndKeepsThePhase() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = try Harness.twload(
            [
                "--rate", "400", "--duration", "5", "--agent", "1/4", "--threads", "1", "--start-at",
                unixSeconds(from: -2), "--max-late", "4s", "--run-id", "late-demo", "--out", dir.path + "/a",
            ], timeout: 30)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stderr.contains("count as late_skipped"), "\(out.stderr)")
        let csv = CSV(try String(contentsOf: dir.appendingPathComponent("a/agent-1.csv"), encoding: .utf8))
        // 2 s at this agent's 100/s, plus what starting the process took (well under a second).
        let late = csv.sum("late_skipped")
        #expect((200...290).contains(late), "late_skipped \(late)")
        // The phase is the fleet's: every interval still holds exactly its 100 scheduled arrivals, each
        // either skipped, attempted or missed, and the rows are numbered on the shared grid.
        for (i, row) in zip(csv.ints("late_skipped"), zip(csv.ints("attempted"), csv.ints("missed"))).enumerated() {
            #expect(row.0 + row.1.0 + row.1.1 == 100, "interval \(i): \(row)")
        }
        #expect(csv.ints("interval_index") == [0, 1, 2, 3, 4])
        #expect(Set(csv.column("run_id")) == ["late-demo"])
        #expect(Set(csv.column("agent")) == ["1"])
        #expect(csv.ints("late_skipped").first == 100, "the first interval was wholly missed")
        let json =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: dir.appendingPathComponent("a/agent-1.json"))) as? [String: Any]
        let agent = json?["agent"] as? [String: Any]
        #expect(agent?["exit_reason"] as? String == "completed")
        #expect(((agent?["late_s"] as? Double) ?? 0) >= 2)
        #expect(agent?["run_id"] as? String == "late-demo")
    }

    @Test func anAgentLaterThanMaxLateRecordsNothingAndExitsWith75() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = try Harness.twload(
            ["--rate", "100", "--duration", "2", "--start-at", unixSeconds(from: -5), "--out", dir.path], timeout: 30)
        #expect(out.status == 75, "\(out.stderr)")
        #expect(out.stderr.split(separator: "\n").count == 1, "\(out.stderr)")
        #expect(out.stderr.contains("--max-late 1.000 s"), "\(out.stderr)")
        let json =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: dir.appendingPathComponent("agent-0.json"))) as? [String: Any]
        #expect(json?["kind"] as? String == "late")
        #expect((json?["agent"] as? [String: Any])?["exit_reason"] as? String == "late")
    }

    @Test func anAgentWaitsForAStartInTheFutureAndStartsOnTheGrid() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let startAt = Date().timeIntervalSince1970 + 1.5
        let out = try Harness.twload(
            [
                "--rate", "100", "--duration", "1", "--start-at", String(format: "%.3f", startAt), "--out", dir.path,
                "--quiet",
            ], timeout: 30)
        #expect(out.status == 0, "\(out.stderr)")
        let csv = CSV(try String(contentsOf: dir.appendingPathComponent("agent-0.csv"), encoding: .utf8))
        #expect(csv.sum("late_skipped") == 0)
        #expect(csv.sum("attempted") == 100)
        // The first row is written at the end of interval 0: start-at plus one interval, give or take
        // the recorder's wake-up.
        let firstRowMillis = Double(csv.ints("unix_ms").first ?? 0)
        #expect(abs(firstRowMillis - (startAt + 1) * 1000) < 150, "row at \(firstRowMillis), start \(startAt)")
        let json =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: dir.appendingPathComponent("agent-0.json"))) as? [String: Any]
        let agent = json?["agent"] as? [String: Any]
        #expect(((agent?["late_s"] as? Double) ?? 1) == 0)
        #expect((agent?["clock"] as? [String: Any])?["synchronised"] is Bool)
    }
}
