import Foundation
import Testing
import TwloadConfig
import TwloadServer
import TwloadSystem
import TwloadTestSupport

@testable import TwloadRun

/// The library's run entry point against its built-in server on loopback (low rates, a second or two).
struct LoadRunTests {
    func configuration(_ edit: (inout [String: [String]]) -> Void) throws -> (RunConfiguration, String) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("twload-\(UUID().uuidString).csv").path
        var text = ["rate": ["100"], "duration": ["1s"], "threads": ["2"], "csv": [path]]
        edit(&text)
        return (try RunConfiguration(OptionValues(texts: text), defaultThreads: 2), path)
    }

    @Test func twoThreadsShareTheRateAndEveryConnectionCompletes() throws {
        let (config, path) = try configuration { $0["linger"] = ["0"] }
        let reporter = NoteCollector()
        let result = try LoadRun.execute(config, reporter: reporter)
        let notes = reporter.notes
        #expect(result.totals.counters.attempted == 100)
        #expect(result.totals.counters.completed == 100)
        #expect(result.totals.counters.failed == 0)
        #expect(result.totals.server?.accepted == 100)
        #expect(notes.contains { $0.contains("built-in server on 127.0.0.1:") })
        let csv = try String(contentsOfFile: path, encoding: .utf8)
        #expect(csv.split(separator: "\n").count == 2)  // header + one row
    }

    @Test func httpExchangeWithTheBuiltinServerCompletes() throws {
        let (config, _) = try configuration {
            $0["protocol"] = ["http"]
            $0["close"] = ["server"]
            $0["linger"] = ["0"]
        }
        let result = try LoadRun.execute(config, reporter: NoteCollector())
        #expect(result.totals.counters.completed == 100)
        #expect(result.totals.counters.protocolErrors == 0)
        #expect(result.totals.counters.passiveCloses == 100)
    }

    @Test func payloadIsAnsweredBeforeTheClientCloses() throws {
        let (config, _) = try configuration {
            $0["send"] = ["PING\\r\\n"]
            $0["linger"] = ["0"]
        }
        let result = try LoadRun.execute(config, reporter: NoteCollector())
        #expect(result.totals.counters.completed == 100)
        #expect(result.totals.counters.activeCloses == 100)
    }

    @Test func payloadLargerThanTheSocketBufferIsWrittenAcrossEdgeTriggeredEvents() throws {
        // 8 MiB cannot go out in one send(): the rest waits for the next EPOLLOUT edge.
        let (config, _) = try configuration {
            $0["send"] = [String(repeating: "x", count: 8 << 20)]
            $0["rate"] = ["20"]
            $0["threads"] = ["1"]
            $0["linger"] = ["0"]
        }
        let result = try LoadRun.execute(config, reporter: NoteCollector())
        #expect(result.totals.counters.attempted == 20)
        #expect(result.totals.counters.completed == 20)
        #expect(result.totals.counters.failed == 0)
    }

    @Test func maxOpenTurnsAttemptsIntoMissedAndIsThePeakWhenTheServerNeverCloses() throws {
        // The server waits for the client's FIN and the client waits for the server's: every connection
        // stays open until the 300 ms exchange timeout, so a cap of 10 makes the rest missed.
        let (config, _) = try configuration {
            $0["close"] = ["server"]
            $0["max-open"] = ["10"]
            $0["timeout"] = ["300ms"]
            $0["threads"] = ["1"]
        }
        var c = config
        let server = try BuiltinServer(
            settings: ServerSettings(
                listen: SocketAddress(ip: "127.0.0.1", port: 0)!, close: .client, linger: .reset,
                wireProtocol: .tcp, awaitRequest: false))
        try server.start()
        defer { server.stop() }
        c.target = Endpoint(address: server.address, host: "127.0.0.1")
        let result = try LoadRun.execute(c, reporter: NoteCollector())
        let t = result.totals.counters
        #expect(t.missed > 0)
        #expect(t.exchangeTimeouts > 0)
        #expect(t.attempted + t.missed == 100)
        #expect(t.etimedout == t.exchangeTimeouts + t.connectTimeouts)
        #expect(result.totals.peakOpen == 10)
    }

    @Test func handshakesStuckBehindAFullAcceptQueueEndAsConnectTimeouts() throws {
        // A listener that never accepts, with the smallest backlog: once its accept queue holds a
        // connection or two, the kernel drops further SYNs and those connects stay pending until
        // twload's 200 ms connect timeout (found by the periodic timeout scan).
        let address = SocketAddress(ip: "127.0.0.1", port: 0)!
        let listener = try Socket.tcp(family: address.family)
        defer { _ = Socket.close(listener) }
        try Socket.bind(listener, to: address)
        try Socket.listen(listener, backlog: 0)
        let port = try Socket.localPort(listener)
        let (config, _) = try configuration {
            $0["rate"] = ["20"]
            $0["threads"] = ["1"]
            $0["connect-timeout"] = ["200ms"]
            $0["timeout"] = ["5s"]
            $0["linger"] = ["0"]
        }
        var c = config
        c.target = Endpoint(address: SocketAddress(ip: "127.0.0.1", port: port)!, host: "127.0.0.1")
        let result = try LoadRun.execute(c, reporter: NoteCollector())
        let t = result.totals.counters
        #expect(t.attempted == 20)
        #expect(t.connectTimeouts >= 15)
        #expect(t.connectTimeouts + t.completed == 20)
        #expect(t.etimedout == t.connectTimeouts)
        #expect(t.exchangeTimeouts == 0)
        #expect(t.unfinished == 0)  // all timed out within the 1 s drain, not abandoned at its end
    }
}
