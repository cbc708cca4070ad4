import Testing
import TwloadConfig
import TwloadModel
import TwloadTestSupport

/// The built-in server's keep-alive options: `serve --max-requests`/`--keepalive-timeout` and `run`'s
/// `--server-max-requests`/`--server-keepalive-timeout`, what they accept and the runs they refuse.
struct KeepAliveOptionTests {
    func serve(_ texts: [String: [String]]) throws -> ServeConfiguration {
        var all = texts
        all["listen"] = ["127.0.0.1:0"]
        return try ServeOption.configuration(OptionValues(texts: all, table: ServeOption.all), awaitRequest: false)
    }

    /// The one-line message of the error `serve` makes of `texts`, or nil when it is accepted.
    func serveRefusal(_ texts: [String: [String]]) -> String? {
        do {
            _ = try serve(texts)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test(arguments: [("1", 1), ("2", 2), ("1000", 1000), ("1000000", 1_000_000)])
    func maxRequestsIsAWholeNumberUpToAMillion(text: String, value: Int) throws {
        #expect(try RunOption.serverMaxRequests.value(of: text) == value)
        #expect(try ServeOption.maxRequests.value(of: text) == value)
    }

    @Test(arguments: ["0", "-1", "1000001", "1.5", "many", ""])
    func maxRequestsOutsideItsRangeIsRejectedNamingTheOption(text: String) {
        let run = #expect(throws: ConfigError.self) { try RunOption.serverMaxRequests.value(of: text) }
        #expect(run?.option == "--server-max-requests")
        #expect(run?.problem == "expected a whole number from 1 to 1000000 (got '\(text)')")
        let serve = #expect(throws: ConfigError.self) { try ServeOption.maxRequests.value(of: text) }
        #expect(serve?.option == "--max-requests")
    }

    @Test(arguments: [
        ("1ms", 1_000_000 as Int64), ("100ms", 100_000_000), ("75s", 75_000_000_000), ("1h", 3_600_000_000_000),
    ])
    func keepAliveTimeoutIsADurationFromAMillisecondToAnHour(text: String, nanos: Int64) throws {
        #expect(try RunOption.serverKeepAliveTimeout.value(of: text) == nanos)
        #expect(try ServeOption.keepAliveTimeout.value(of: text) == nanos)
    }

    @Test(arguments: ["0", "0.5ms", "-1s", "61m", "2h", "soon"])
    func keepAliveTimeoutOutsideItsRangeIsRejectedNamingTheOption(text: String) {
        let run = #expect(throws: ConfigError.self) { try RunOption.serverKeepAliveTimeout.value(of: text) }
        #expect(run?.option == "--server-keepalive-timeout")
        #expect(run?.problem.contains("'\(text)'") == true)
        let serve = #expect(throws: ConfigError.self) { try ServeOption.keepAliveTimeout.value(of: text) }
        #expect(serve?.option == "--keepalive-timeout")
    }

    @Test func serveTakesBothAndLeavesTheDefaultsToTheServer() throws {
        let given = try serve(["protocol": ["http"], "max-requests": ["100"], "keepalive-timeout": ["75s"]])
        #expect(given.maxRequests == 100)
        #expect(given.keepAliveTimeoutNanos == 75_000_000_000)
        let none = try serve(["protocol": ["http"]])
        #expect(none.maxRequests == nil)
        #expect(none.keepAliveTimeoutNanos == 0)
    }

    @Test func serveRefusesThemWithTcpNamingTheOption() throws {
        for (name, value) in [("max-requests", "2"), ("keepalive-timeout", "1s")] {
            let message = try #require(serveRefusal([name: [value]]))
            #expect(message == "--\(name): applies to --protocol http only (tcp replies once per connection)")
            #expect(serveRefusal([name: [value], "protocol": ["http"]]) == nil)
        }
    }

    @Test func runTakesBothForTheBuiltinServer() throws {
        let c = try RunResolving.configuration([
            "rate": ["10"], "protocol": ["http"], "server-max-requests": ["3"], "server-keepalive-timeout": ["2s"],
        ])
        #expect(c.serverMaxRequests == 3)
        #expect(c.serverKeepAliveTimeoutNanos == 2_000_000_000)
        let plain = try RunResolving.configuration(["rate": ["10"], "protocol": ["http"]])
        #expect(plain.serverMaxRequests == nil)
        #expect(plain.serverKeepAliveTimeoutNanos == 0)
    }

    @Test func aProfileCanSetBoth() throws {
        let run = "run:\n  rate: 10\n  protocol: http\n  server-max-requests: 5\n  server-keepalive-timeout: 500ms\n"
        let c = try RunResolving.configuration([:], profile: run)
        #expect(c.serverMaxRequests == 5)
        #expect(c.serverKeepAliveTimeoutNanos == 500_000_000)
    }

    @Test func runRefusesThemWithAnExternalTargetNamingTheOption() throws {
        for (name, value) in [("server-max-requests", "2"), ("server-keepalive-timeout", "1s")] {
            let message = try #require(
                RunResolving.refusal(["rate": ["10"], "protocol": ["http"], "target": ["127.0.0.1:80"], name: [value]]))
            #expect(message.hasPrefix("--\(name): "))
            #expect(message.contains("--target"))
            #expect(!message.contains("\n"))
        }
    }

    @Test func runRefusesThemWithTcpNamingTheOption() throws {
        for (name, value) in [("server-max-requests", "2"), ("server-keepalive-timeout", "1s")] {
            let message = try #require(RunResolving.refusal(["rate": ["10"], name: [value]]))
            #expect(message == "--\(name): applies to --protocol http only (tcp replies once per connection)")
        }
    }
}
