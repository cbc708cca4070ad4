import ArgumentParser
import TwloadConfig

/// The options of a load run, shared by `run`, `check` and `lab`. Values stay text here; the library
/// validates them (`RunConfiguration(parsing:)`), so its errors name the option.
struct RunOptions: ParsableArguments {
    @Option(help: "HOST:PORT or [IPv6]:PORT to connect to. Without it, twload starts its built-in server on 127.0.0.1.")
    var target: String?

    @Option(help: "New connections per second, over all threads (e.g. 2000 or 2k).")
    var rate: String?

    @Option(help: "How long to schedule attempts (30s, 500ms, 2m). (default: 30s)")
    var duration: String?

    @Option(help: "Which side closes first: client (twload) or server (twload waits for the peer's FIN). (default: client)")
    var close: String?

    @Option(help: "off (FIN), 0 (RST, no TIME_WAIT) or SECONDS (SO_LINGER; the close runs off the event loop). (default: off)")
    var linger: String?

    @Option(name: .customLong("source-ports"), help: "LO-HI: per-socket source port range (IP_LOCAL_PORT_RANGE).")
    var sourcePorts: String?

    @Option(name: .customLong("source-addr"), help: "Source IP; repeat for more 4-tuple space (round-robin).")
    var sourceAddr: [String] = []

    @Option(name: .customLong("max-open"), help: "Cap on open connections; attempts beyond it count as missed.")
    var maxOpen: String?

    @Option(help: "Event-loop threads (default: the number of cores). Each takes an equal share of the rate.")
    var threads: String?

    @Option(help: "CSV row interval. (default: 1s)")
    var interval: String?

    @Option(help: "CSV file, or - for stdout (the default).")
    var csv: String?

    @Option(name: .customLong("protocol"), help: "tcp (optional --send payload) or http (GET, full response). (default: tcp)")
    var wireProtocol: String?

    @Option(help: "Payload to write after connect (tcp); escapes \\r \\n \\t \\xHH are decoded.")
    var send: String?

    @Option(help: "Request path for --protocol http. (default: /)")
    var path: String?

    @Option(name: .customLong("connect-timeout"), help: "Give up on a handshake after this long. (default: 3s)")
    var connectTimeout: String?

    @Option(help: "Give up on a whole connection (handshake, exchange and close) after this long. (default: 10s)")
    var timeout: String?

    @Option(name: .customLong("server-linger"), help: "Linger mode of the built-in server's sockets. (default: off)")
    var serverLinger: String?

    @Option(name: .customLong("port-binding"), help: "auto, range (IP_LOCAL_PORT_RANGE) or bind (explicit bind() per port) for --source-ports. (default: auto)")
    var portBinding: String?

    @Option(name: .customLong("fail-on"), help: "Threshold checked at the end, e.g. 'eaddrnotavail == 0' or 'achieved_rate >= 0.99 * rate'; repeatable. A failed one makes the exit status 1.")
    var failOn: [String] = []

    /// The options given on the command line, by long name (what a profile's `run` section uses too).
    func overrides() -> [String: [String]] {
        var o: [String: [String]] = [:]
        let single: [(String, String?)] = [
            ("target", target), ("rate", rate), ("duration", duration), ("close", close), ("linger", linger),
            ("source-ports", sourcePorts), ("max-open", maxOpen), ("threads", threads), ("interval", interval),
            ("csv", csv), ("protocol", wireProtocol), ("send", send), ("path", path),
            ("connect-timeout", connectTimeout), ("timeout", timeout), ("server-linger", serverLinger),
            ("port-binding", portBinding),
        ]
        for case let (key, value?) in single { o[key] = [value] }
        if !sourceAddr.isEmpty { o["source-addr"] = sourceAddr }
        return o
    }

    /// The options as the library's input (no profile).
    func text() -> RunOptionText {
        var text = RunOptionText()
        for (key, values) in overrides() { text.set(key, values) }
        text.failOn = failOn
        return text
    }
}
