import Testing
import TwloadConfig
import TwloadSystem
import TwloadTestSupport

@testable import TwloadRun

/// How `--server-max-requests` and `--server-keepalive-timeout` reach the built-in server, and its
/// defaults without them.
struct RunPlanKeepAliveTests {
    func plan(_ text: [String: [String]]) throws -> RunPlan {
        var all = ["rate": ["100"], "duration": ["1s"], "protocol": ["http"]]
        all.merge(text) { _, new in new }
        return try RunPlan.make(
            try RunConfiguration(OptionValues(texts: all), defaultThreads: 2), reporter: NoteCollector())
    }

    @Test func theOptionsSetTheBuiltinServersRequestLimitAndKeepAliveTimeout() throws {
        let p = try plan(["server-max-requests": ["7"], "server-keepalive-timeout": ["250ms"]])
        #expect(p.serverSettings.maxRequests == 7)
        #expect(p.serverSettings.keepAliveTimeoutNanos == 250_000_000)
    }

    @Test func withoutThemTheServerClosesAfterOneResponseUnderServerCloseAndNeverUnderClientClose() throws {
        let server = try plan(["close": ["server"]])
        #expect(server.serverSettings.maxRequests == 1)
        #expect(server.serverSettings.keepAliveTimeoutNanos == 0)
        let client = try plan(["close": ["client"]])
        #expect(client.serverSettings.maxRequests == nil)
        #expect(client.serverSettings.keepAliveTimeoutNanos == 0)
    }

    @Test func theRunsNoteSaysWhenTheServerClosesFirstAfterItsRequestLimitOrIdleTimeout() throws {
        #expect(try plan(["close": ["server"], "server-max-requests": ["5"]]).serverCloses == "first")
        #expect(try plan(["close": ["client"]]).serverCloses == "after the client's FIN")
        let one = try plan(["close": ["client"], "server-max-requests": ["1"]])
        #expect(one.serverCloses == "first after 1 request on a connection")
        let three = try plan(["close": ["client"], "server-max-requests": ["3"]])
        #expect(three.serverCloses == "first after 3 requests on a connection")
        let idle = try plan(["close": ["client"], "server-keepalive-timeout": ["1s"]])
        #expect(idle.serverCloses == "first after 1 s idle")
        let both = try plan(["close": ["client"], "server-max-requests": ["3"], "server-keepalive-timeout": ["250ms"]])
        #expect(both.serverCloses == "first after 3 requests on a connection or after 250 ms idle")
    }
}
