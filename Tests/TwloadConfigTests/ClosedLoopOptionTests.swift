import Testing
import TwloadConfig
import TwloadModel
import TwloadTestSupport

/// `--concurrency N`: a closed loop instead of a rate, what it accepts and what it refuses beside it.
struct ClosedLoopOptionTests {
    @Test(arguments: [("1", 1), ("64", 64), ("1000000", 1_000_000)])
    func concurrencyIsAWholeNumberUpToAMillion(text: String, value: Int) throws {
        #expect(try RunOption.concurrency.value(of: text) == value)
    }

    @Test(arguments: ["0", "-1", "1000001", "2.5", "many"])
    func concurrencyOutsideItsRangeIsRejectedNamingTheOption(text: String) {
        let error = #expect(throws: ConfigError.self) { try RunOption.concurrency.value(of: text) }
        #expect(error?.option == "--concurrency")
    }

    @Test func aClosedLoopNeedsNoRateAndRunsForTheDuration() throws {
        let c = try RunResolving.configuration(["concurrency": ["50"], "duration": ["3s"]])
        #expect(c.concurrency == 50)
        #expect(c.schedule == .constant(rate: 0, seconds: 3))
        let open = try RunResolving.configuration(["rate": ["100"]])
        #expect(open.concurrency == nil)
    }

    @Test(arguments: [
        (["rate": ["100"]], "--rate"), (["rate": ["10..20"], "ramp": ["5s"]], "--rate"),
        (["step": ["5s"]], "--step"),
    ])
    func aRateBesideItIsRefusedNamingTheRateOption(extra: [String: [String]], option: String) {
        var cli = extra
        cli["concurrency"] = ["10"]
        let message = RunResolving.refusal(cli) ?? "accepted"
        #expect(message.hasPrefix(option + ": conflicts with --concurrency"), "\(message)")
    }

    @Test func aProfilesScheduleBesideItIsRefused() {
        let message =
            RunResolving.refusal(["concurrency": ["10"]], profile: "schedule:\n  - rate: 100\n    for: 5s\n")
            ?? "accepted"
        #expect(message.hasPrefix("--concurrency: conflicts with the profile's schedule"), "\(message)")
    }

    @Test func aFleetIsRefused() {
        let message = RunResolving.refusal(["concurrency": ["10"], "agent": ["1/3"]]) ?? "accepted"
        #expect(message.hasPrefix("--concurrency: runs on one host"), "\(message)")
    }

    @Test func withoutRateOrConcurrencyTheRateIsStillRequired() {
        // The same line as before the closed loop (`check`, which has no closed loop, gives it too).
        #expect(RunResolving.refusal([:]) == "--rate: is required (connections per second)")
    }

    @Test func findRefusesAClosedLoop() {
        let error = #expect(throws: ConfigError.self) {
            try FindOption.configuration(
                OptionValues(texts: ["concurrency": ["10"]], table: RunOption.readmeTable + FindOption.all))
        }
        #expect(error?.option == "--concurrency")
    }
}
