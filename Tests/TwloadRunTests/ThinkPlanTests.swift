import Testing
import TwloadConfig
import TwloadModel
import TwloadSystem
import TwloadTestSupport

@testable import TwloadRun

/// `--think`: what it accepts, what it needs, how it reaches the worker and the drain, and how the plan
/// predicts who closes first when the built-in server's idle timeout or request limit comes first.
struct ThinkPlanTests {
    func configuration(_ text: [String: [String]]) throws -> RunConfiguration {
        var all = ["rate": ["100"], "duration": ["1s"], "protocol": ["http"]]
        all.merge(text) { _, new in new }
        return try RunConfiguration(OptionValues(texts: all), defaultThreads: 1)
    }

    func plan(_ text: [String: [String]]) throws -> RunPlan {
        try RunPlan.make(try configuration(text), reporter: NoteCollector())
    }

    @Test(arguments: [("0", Int64(0)), ("1ms", 1_000_000), ("2s", 2_000_000_000), ("1h", 3_600_000_000_000)])
    func thinkIsZeroOrADurationFromAMillisecondToAnHour(text: String, nanos: Int64) throws {
        #expect(try RunOption.think.value(of: text) == nanos)
    }

    @Test(arguments: ["-1s", "0.5ms", "61m", "soon"])
    func thinkOutsideItsRangeIsRejectedNamingTheOption(text: String) {
        let error = #expect(throws: ConfigError.self) { try RunOption.think.value(of: text) }
        #expect(error?.option == "--think")
    }

    @Test func aPauseNeedsASecondRequestOnTheConnection() {
        let error = #expect(throws: ConfigError.self) { try configuration(["think": ["1s"]]) }
        #expect(error?.option == "--think")
        #expect(error?.problem.contains("--requests-per-connection 2 or more") == true)
        #expect(throws: Never.self) { try configuration(["think": ["0"]]) }
    }

    @Test func theWorkerPausesAndTheDrainGrowsByEveryPause() throws {
        let p = try plan(["requests-per-connection": ["4"], "think": ["500ms"]])
        let w = p.workerSettings(target: SocketAddress(ip: "127.0.0.1", port: 8080)!, threadIndex: 0, startNanos: 0)
        #expect(w.thinkNanos == 500_000_000)
        #expect(w.drainNanos == 1_000_000_000 + 3 * 500_000_000)
        let plain = try plan(["requests-per-connection": ["4"]])
            .workerSettings(target: SocketAddress(ip: "127.0.0.1", port: 8080)!, threadIndex: 0, startNanos: 0)
        #expect(plain.thinkNanos == 0 && plain.drainNanos == 1_000_000_000)
    }

    @Test func pausesThatKeepMoreConnectionsOpenThanMaxOpenAllowsAreWarnedOf() throws {
        // 100 connections/s, each open about 4 × 10 s: about 4,000 at once, against 1,000 allowed.
        let notes = NoteCollector()
        _ = try RunPlan.make(
            try configuration(["requests-per-connection": ["5"], "think": ["10s"], "max-open": ["1000"]]),
            reporter: notes)
        #expect(
            notes.notes.contains {
                $0.contains("--think keeps about 4000 connections open at the peak rate, more than the 1000")
            }, "\(notes.notes)")
        let quiet = NoteCollector()
        _ = try RunPlan.make(
            try configuration(["requests-per-connection": ["5"], "think": ["1s"], "max-open": ["1000"]]),
            reporter: quiet)
        #expect(!quiet.notes.contains { $0.contains("--think keeps") }, "400 open fit in 1000")
    }

    @Test func aServerIdleTimeoutWithinThePauseMakesTheServerCloseFirst() throws {
        let p = try plan([
            "close": ["client"], "requests-per-connection": ["5"], "think": ["2s"],
            "server-keepalive-timeout": ["1s"],
        ])
        #expect(p.closingSide == .server)
        #expect(p.predictionInputs(target: nil).close == .server)
        let (prediction, text) = p.preflight(target: nil, namespace: "here")
        #expect(prediction.timeWaitSide != .client)
        #expect(
            text.contains(
                "  keep-alive: 5 requests per connection: 500 requests/s on 100 connections/s, 2 s between "
                    + "requests; the built-in server closes first (its idle timeout of 1 s, within the 2 s pause), "
                    + "so TIME_WAIT lands on the server"), "\(text)")
    }

    @Test func aServerRequestLimitBelowTheClientsMakesTheServerCloseFirst() throws {
        let p = try plan(["close": ["client"], "requests-per-connection": ["100"], "server-max-requests": ["10"]])
        #expect(p.closingSide == .server)
        let (_, text) = p.preflight(target: nil, namespace: "here")
        #expect(text.contains("the built-in server closes first (its limit of 10 requests per connection)"), "\(text)")
    }

    @Test func theClientStillClosesFirstWhenTheServerAllowsEveryRequestAndPause() throws {
        #expect(try plan(["close": ["client"], "requests-per-connection": ["10"]]).closingSide == .client)
        let patient = try plan([
            "close": ["client"], "requests-per-connection": ["5"], "think": ["500ms"],
            "server-keepalive-timeout": ["1s"], "server-max-requests": ["5"],
        ])
        #expect(patient.closingSide == .client)
        // An external target's limits are unknown: the client's --close stands.
        let external = try plan([
            "close": ["client"], "requests-per-connection": ["5"], "think": ["2s"], "target": ["127.0.0.1:8080"],
        ])
        #expect(external.closingSide == .client)
    }
}
