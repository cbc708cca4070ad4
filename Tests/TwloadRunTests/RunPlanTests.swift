import Testing
import TwloadConfig
import TwloadTestSupport

@testable import TwloadRun

/// What a run plan decides before load starts: each thread's share of `--max-open`, and which inputs it
/// refuses because the run could only fail in a misleading way.
struct RunPlanTests {
    func plan(_ text: [String: [String]], reporter: NoteCollector = NoteCollector()) throws -> RunPlan {
        var all = ["rate": ["100"], "duration": ["1s"]]
        all.merge(text) { _, new in new }
        return try RunPlan.make(try RunConfiguration(OptionValues(texts: all), defaultThreads: 2), reporter: reporter)
    }

    @Test(arguments: [1, 2, 3, 5, 7, 64, 1_000])
    func maxOpenSharesAddUpToExactlyMaxOpen(maxOpen: Int) throws {
        for threads in 1...8 {
            let p = try plan(["max-open": ["\(maxOpen)"], "threads": ["\(threads)"]])
            let shares = (0..<p.config.threads).map(p.maxOpen(ofThread:))
            #expect(shares.reduce(0, +) == maxOpen, "--max-open \(maxOpen) --threads \(threads): \(shares)")
            #expect(shares.allSatisfy { $0 >= 1 }, "--max-open \(maxOpen) --threads \(threads): \(shares)")
            #expect((shares.max() ?? 0) - (shares.min() ?? 0) <= 1)
        }
    }

    @Test func fewerConnectionsThanThreadsLowersTheThreadsWithAWarning() throws {
        let notes = NoteCollector()
        let p = try plan(["max-open": ["1"], "threads": ["4"]], reporter: notes)
        #expect(p.config.threads == 1)
        #expect(notes.notes.contains { $0.contains("--max-open 1 is fewer than --threads 4; using 1 thread") })
    }

    @Test func maxOpenOneOnFourThreadsNeverHasTwoConnectionsOpen() throws {
        // The probe: --max-open 1 --threads 4 kept 4 connections open, one per thread.
        let config = try RunConfiguration(
            OptionValues(texts: [
                "rate": ["400"], "duration": ["1s"], "threads": ["4"], "max-open": ["1"], "csv": ["/dev/null"],
            ]), defaultThreads: 4)
        let result = try LoadRun.execute(config, reporter: NoteCollector())
        #expect(result.totals.peakOpen == 1)
        #expect(result.totals.counters.completed > 0)
    }

    @Test func aSourceAddressOfNoInterfaceIsRefusedBeforeLoadStarts() throws {
        // 192.0.2.1 (TEST-NET-1) is on no interface here; only a bind() is tried, nothing is sent.
        let config = try RunConfiguration(
            OptionValues(texts: ["rate": ["1"], "duration": ["1s"], "source-addr": ["192.0.2.1"]]), defaultThreads: 1)
        do throws(RunFailure) {
            _ = try RunPlan.make(config, reporter: NoteCollector())
            Issue.record("accepted a source address that no interface has")
        } catch {
            guard case .usage(let e) = error else {
                Issue.record("expected a usage error, got \(error)")
                return
            }
            #expect(e.option == "--source-addr")
            #expect(e.problem.hasPrefix("192.0.2.1 is not an address of any interface here"))
        }
    }
}
