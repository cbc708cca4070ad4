import Testing
import TwloadConfig
import TwloadSystem
import TwloadTestSupport

@testable import TwloadRun

/// How `--hold` reaches the built-in server and the workers' drain, and the warning when rate × hold is
/// more than `--max-open` lets open.
struct RunPlanHoldTests {
    func plan(_ text: [String: [String]], reporter: NoteCollector = NoteCollector()) throws -> RunPlan {
        var all = ["rate": ["100"], "duration": ["1s"], "close": ["server"]]
        all.merge(text) { _, new in new }
        return try RunPlan.make(try RunConfiguration(OptionValues(texts: all), defaultThreads: 2), reporter: reporter)
    }

    func drain(_ p: RunPlan) -> Int64 {
        p.workerSettings(target: SocketAddress(ip: "127.0.0.1", port: 9)!, threadIndex: 0, startNanos: 0).drainNanos
    }

    @Test func theHoldSetsTheBuiltinServersHoldAndLengthensTheDrainByIt() throws {
        let held = try plan(["hold": ["1.5s"]])
        #expect(held.serverSettings.holdNanos == 1_500_000_000)
        let plain = try plan([:])
        #expect(plain.serverSettings.holdNanos == 0)
        #expect(drain(held) == drain(plain) + 1_500_000_000)
    }

    @Test func holdingMoreConnectionsThanMaxOpenAllowsIsWarnedAbout() throws {
        let notes = NoteCollector()
        _ = try plan(["rate": ["1000"], "hold": ["1s"], "max-open": ["100"]], reporter: notes)
        #expect(notes.notes.contains { $0.contains("--hold keeps about 1000 connections open") && $0.contains("100") })
        let quiet = NoteCollector()
        _ = try plan(["rate": ["50"], "hold": ["1s"], "max-open": ["100"]], reporter: quiet)
        #expect(!quiet.notes.contains { $0.contains("--hold") })
    }
}
