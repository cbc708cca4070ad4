import Testing
import TwloadConfig
import TwloadModel
import TwloadTestSupport

/// `--hold`: what it accepts, and the runs it refuses because the hold could not do what it says.
struct HoldOptionTests {
    @Test(arguments: [
        ("0", 0 as Int64), ("0s", 0), ("300ms", 300_000_000), ("1.5s", 1_500_000_000), ("1h", 3_600_000_000_000),
    ])
    func holdIsZeroOrADurationUpToAnHour(text: String, nanos: Int64) throws {
        #expect(try ValueParsing.hold(text) == nanos)
    }

    @Test(arguments: ["-1s", "-0.5", "0.5ms", "61m", "2h", "abc", ""])
    func holdOutsideItsRangeIsRejectedNamingHold(text: String) {
        let e = #expect(throws: ConfigError.self) { try ValueParsing.hold(text) }
        #expect(e?.option == "--hold")
        #expect(e?.problem.contains("'\(text)'") == true)
    }

    @Test func serveTakesTheHold() throws {
        let given = OptionValues(texts: ["listen": ["127.0.0.1:0"], "hold": ["250ms"]], table: ServeOption.all)
        #expect(try ServeOption.configuration(given, awaitRequest: false).holdNanos == 250_000_000)
        let none = OptionValues(texts: ["listen": ["127.0.0.1:0"]], table: ServeOption.all)
        #expect(try ServeOption.configuration(none, awaitRequest: false).holdNanos == 0)
    }

    @Test func withoutHoldTheServerHoldsNothing() throws {
        #expect(try RunResolving.configuration(["rate": ["10"]]).holdNanos == 0)
    }

    @Test func aProfileCanSetTheHold() throws {
        let c = try RunResolving.configuration([:], profile: "run:\n  rate: 10\n  close: server\n  hold: 2s\n")
        #expect(c.holdNanos == 2_000_000_000)
    }

    @Test func holdWithAnExternalTargetIsRefusedNamingHold() throws {
        let message = try #require(RunResolving.refusal(["rate": ["10"], "target": ["127.0.0.1:80"], "hold": ["1s"]]))
        #expect(message.hasPrefix("--hold: "))
        #expect(message.contains("--target"))
        #expect(!message.contains("\n"))
        // 0 is the default: it holds nothing, so it fits any target.
        #expect(RunResolving.refusal(["rate": ["10"], "target": ["127.0.0.1:80"], "hold": ["0"]]) == nil)
    }

    @Test func holdCannotLengthenAClientCloseTcpConnectionThatSendsNothing() throws {
        let message = try #require(RunResolving.refusal(["rate": ["10"], "close": ["client"], "hold": ["1s"]]))
        #expect(message.hasPrefix("--hold: "))
        #expect(message.contains("--send"))
        // Where the client waits for the reply, the held reply holds the connection.
        #expect(RunResolving.refusal(["rate": ["10"], "close": ["client"], "hold": ["1s"], "send": ["ping"]]) == nil)
        #expect(
            RunResolving.refusal(["rate": ["10"], "close": ["client"], "hold": ["1s"], "protocol": ["http"]]) == nil)
        #expect(RunResolving.refusal(["rate": ["10"], "close": ["server"], "hold": ["1s"]]) == nil)
    }

    @Test func holdNotShorterThanTheTimeoutIsRefusedNamingBoth() throws {
        let message = try #require(RunResolving.refusal(["rate": ["10"], "close": ["server"], "hold": ["10s"]]))
        #expect(
            message
                == "--hold: 10s is not shorter than --timeout 10s, so every connection would time out; raise --timeout")
        #expect(
            RunResolving.refusal(["rate": ["10"], "close": ["server"], "hold": ["10s"], "timeout": ["11s"]]) == nil)
    }
}
