import Testing
import TwloadConfig
import TwloadModel
import TwloadTestSupport

/// `--engine`: epoll by default, io_uring on request, and what io_uring refuses beside it.
struct EngineOptionTests {
    @Test func theDefaultEngineIsEpollAndIoUringIsChosenByName() throws {
        #expect(try RunResolving.configuration(["rate": ["10"]]).engine == .epoll)
        #expect(try RunResolving.configuration(["rate": ["10"], "engine": ["io_uring"]]).engine == .ioUring)
        let profile = try RunResolving.configuration([:], profile: "run:\n  rate: 10\n  engine: io_uring\n")
        #expect(profile.engine == .ioUring)
    }

    @Test func anUnknownEngineIsRefusedNamingTheOption() {
        let error = #expect(throws: ConfigError.self) { try RunOption.engine.value(of: "uring") }
        #expect(error?.option == "--engine")
    }

    @Test(arguments: [
        (["requests-per-connection": ["3"], "protocol": ["http"]], "--requests-per-connection: needs --engine epoll"),
        (["linger": ["5"]], "--linger: N > 0 needs --engine epoll"),
    ])
    func ioUringRefusesKeepAliveAndALingeringCloseNamingTheOption(extra: [String: [String]], start: String) {
        var cli = extra
        cli["rate"] = ["10"]
        cli["engine"] = ["io_uring"]
        let message = RunResolving.refusal(cli) ?? "accepted"
        #expect(message.hasPrefix(start), "\(message)")
        cli["engine"] = ["epoll"]
        #expect(RunResolving.refusal(cli) == nil, "the epoll engine takes it")
    }

    @Test func ioUringTakesSourcePortsAnRSTCloseAndAClosedLoop() throws {
        let c = try RunResolving.configuration([
            "engine": ["io_uring"], "concurrency": ["10"], "linger": ["0"], "source-ports": ["40000-40999"],
        ])
        #expect(c.engine == .ioUring && c.linger == .reset && c.concurrency == 10)
    }
}
