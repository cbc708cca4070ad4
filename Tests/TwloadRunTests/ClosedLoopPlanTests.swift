import Testing
import TwloadConfig
import TwloadModel
import TwloadSystem
import TwloadTestSupport

@testable import TwloadRun

/// How a closed loop (`--concurrency`) is planned: each thread's share of the connections in flight, the
/// limits it must fit in, and a preflight that predicts no time without a rate.
struct ClosedLoopPlanTests {
    func plan(_ text: [String: [String]], threads: Int = 2) throws -> RunPlan {
        var all = ["concurrency": ["7"], "duration": ["1s"]]
        all.merge(text) { _, new in new }
        return try RunPlan.make(
            try RunConfiguration(OptionValues(texts: all), defaultThreads: threads), reporter: NoteCollector())
    }

    /// Thread `k`'s share of the connections in flight (0: open loop).
    func concurrency(_ p: RunPlan, _ k: Int) -> Int {
        p.workerSettings(target: SocketAddress(ip: "127.0.0.1", port: 8080)!, threadIndex: k, startNanos: 0)
            .concurrency
    }

    @Test func theThreadsShareTheConnectionsInFlightExactly() throws {
        let p = try plan(["threads": ["2"]])
        #expect(concurrency(p, 0) == 4 && concurrency(p, 1) == 3)
        let open = try RunPlan.make(
            try RunConfiguration(OptionValues(texts: ["rate": ["100"]]), defaultThreads: 1), reporter: NoteCollector())
        #expect(concurrency(open, 0) == 0, "open loop")
    }

    @Test func moreThreadsThanConnectionsAreCutToOneConnectionEach() throws {
        let notes = NoteCollector()
        let p = try RunPlan.make(
            try RunConfiguration(
                OptionValues(texts: ["concurrency": ["3"], "duration": ["1s"], "threads": ["8"]]), defaultThreads: 1),
            reporter: notes)
        #expect(p.config.threads == 3)
        #expect((0..<3).allSatisfy { concurrency(p, $0) == 1 })
        #expect(notes.notes.contains { $0.contains("--concurrency 3 is fewer than --threads 8") }, "\(notes.notes)")
    }

    @Test func moreInFlightThanMaxOpenIsRefusedNamingConcurrency() {
        #expect(throws: RunFailure.self) { try plan(["concurrency": ["100"], "max-open": ["50"]]) }
        do {
            _ = try plan(["concurrency": ["100"], "max-open": ["50"]])
        } catch {
            #expect("\(error)".contains("--concurrency: 100 is more than --max-open 50"), "\(error)")
        }
    }

    @Test func thePreflightPredictsNoTimeWithoutARateButSaysWhatThePortsSustain() throws {
        let p = try plan(["close": ["client"], "source-ports": ["40000-40999"]])
        let (_, text) = p.preflight(target: nil, namespace: "here")
        #expect(text.contains("  closed loop: 7 connections in flight, as fast as the target answers; no rate is set"))
        #expect(text.contains("above 16/s they run out"), "\(text)")
        #expect(!text.contains("predicted: "), "no onset without a rate: \(text)")
        let (prediction, _) = p.preflight(target: nil, namespace: "here")
        let summary = p.description(target: SocketAddress(ip: "127.0.0.1", port: 1)!, prediction: prediction)
        #expect(summary.prediction == nil && summary.concurrency == 7)
    }
}
