import Foundation
import Testing

/// `twload run --concurrency N` end to end against the built-in server on loopback: the CSV keeps its
/// columns, with `target_rate` and lag empty, and the summary says it was a closed loop.
struct ClosedLoopCommandTests {
    @Test func aClosedLoopRunKeepsItsConnectionsInFlightAndLeavesTheRateAndLagColumnsEmpty() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("twload-cl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let csvPath = dir.appendingPathComponent("run.csv").path
        let out = try Harness.twload(
            [
                "--concurrency", "4", "--duration", "1", "--close", "server", "--protocol", "http", "--threads", "2",
                "--interval", "500ms", "--csv", csvPath,
            ], timeout: 30)
        #expect(out.status == 0, "\(out.stderr)")
        let csv = CSV(Harness.read(URL(fileURLWithPath: csvPath)))
        #expect(csv.rows.count >= 2)
        #expect(csv.column("target_rate").allSatisfy { $0.isEmpty }, "no rate in a closed loop")
        #expect(csv.column("lag_p99_us").allSatisfy { $0.isEmpty }, "no schedule, so no lag")
        #expect(csv.sum("missed") == 0)
        #expect(csv.sum("attempted") > 100, "\(out.stderr)")
        #expect(csv.sum("failed") == 0 && csv.sum("http_2xx") == csv.sum("attempted"), "\(out.stderr)")
        #expect(csv.ints("open").allSatisfy { $0 <= 4 })
        #expect(out.stderr.contains("closed loop, 4 in flight, server close"), "\(out.stderr)")
        #expect(out.stderr.contains("  closed loop: 4 connections in flight"), "\(out.stderr)")
        #expect(out.stderr.contains("connect latency from attempt start"), "\(out.stderr)")
    }

    @Test func aRateBesideConcurrencyExits64NamingTheRate() throws {
        let out = try Harness.twload(["--concurrency", "4", "--rate", "100", "--csv", "/dev/null"], timeout: 10)
        #expect(out.status == 64)
        #expect(out.stderr.contains("--rate: conflicts with --concurrency"), "\(out.stderr)")
    }
}
