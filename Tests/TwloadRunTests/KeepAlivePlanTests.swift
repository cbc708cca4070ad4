import Testing
import TwloadConfig
import TwloadModel
import TwloadSystem
import TwloadTestSupport

@testable import TwloadRun

/// What a keep-alive run (`--requests-per-connection`) sends and predicts.
struct KeepAlivePlanTests {
    func plan(_ text: [String: [String]]) throws -> RunPlan {
        var all = ["rate": ["100"], "duration": ["1s"], "protocol": ["http"], "target": ["127.0.0.1:8080"]]
        all.merge(text) { _, new in new }
        return try RunPlan.make(
            try RunConfiguration(OptionValues(texts: all), defaultThreads: 1), reporter: NoteCollector())
    }

    @Test func underServerCloseOnlyTheLastRequestAsksTheServerToClose() throws {
        let p = try plan(["close": ["server"], "requests-per-connection": ["10"]])
        #expect(!String(decoding: p.request, as: UTF8.self).contains("Connection: close"))
        #expect(String(decoding: p.finalRequest ?? [], as: UTF8.self).contains("Connection: close\r\n"))
        let w = p.workerSettings(target: SocketAddress(ip: "127.0.0.1", port: 8080)!, threadIndex: 0, startNanos: 0)
        #expect(w.requestsPerConnection == 10 && w.finalRequest == p.finalRequest)
        // One request per connection is today's: it asks the server to close, and there is no final one.
        let single = try plan(["close": ["server"]])
        #expect(String(decoding: single.request, as: UTF8.self).contains("Connection: close\r\n"))
        #expect(single.finalRequest == nil)
    }

    @Test func underClientCloseNoRequestAsksTheServerToClose() throws {
        let p = try plan(["close": ["client"], "requests-per-connection": ["10"]])
        #expect(!String(decoding: p.request, as: UTF8.self).contains("Connection: close"))
        #expect(p.finalRequest == nil)
    }

    @Test func thePreflightCountsRequestsAndTheBudgetInConnections() throws {
        let p = try plan([
            "close": ["client"], "requests-per-connection": ["10"], "source-ports": ["40000-40999"],
        ])
        let (_, text) = p.preflight(target: SocketAddress(ip: "127.0.0.1", port: 8080)!, namespace: "here")
        #expect(
            text.contains(
                "  keep-alive: 10 requests per connection: 1000 requests/s on 100 connections/s; the port budget "
                    + "counts connections, so it carries 167 requests/s indefinitely (16.7 connections/s × 10)"),
            "\(text)")
    }

    @Test func moreThanOneRequestNeedsARequestToRepeat() {
        #expect(throws: ConfigError.self) {
            try RunConfiguration(
                OptionValues(texts: ["rate": ["100"], "requests-per-connection": ["2"]]), defaultThreads: 1)
        }
        #expect(throws: Never.self) {
            try RunConfiguration(
                OptionValues(texts: ["rate": ["100"], "requests-per-connection": ["2"], "send": ["hi"]]),
                defaultThreads: 1)
        }
    }
}
