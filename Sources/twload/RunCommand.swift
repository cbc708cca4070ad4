import ArgumentParser
import Twload

/// `twload run`: drive short connections at `--rate` and record each interval as CSV.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Open and close short connections at an open-loop rate; write one CSV row per interval."
    )

    @Option(help: "HOST:PORT or [IPv6]:PORT to connect to. Without it, twload starts its built-in server on 127.0.0.1.")
    var target: String?

    @Option(help: "New connections per second, over all threads (e.g. 2000 or 2k).")
    var rate: String?

    @Option(help: "How long to schedule attempts (30s, 500ms, 2m).")
    var duration = "30s"

    @Option(help: "Which side closes first: client (twload) or server (twload waits for the peer's FIN).")
    var close = "client"

    @Option(help: "off (FIN), 0 (RST, no TIME_WAIT) or SECONDS (SO_LINGER; the close runs off the event loop).")
    var linger = "off"

    @Option(name: .customLong("source-ports"), help: "LO-HI: per-socket source port range (IP_LOCAL_PORT_RANGE).")
    var sourcePorts: String?

    @Option(name: .customLong("source-addr"), help: "Source IP; repeat for more 4-tuple space (round-robin).")
    var sourceAddr: [String] = []

    @Option(name: .customLong("max-open"), help: "Cap on open connections; attempts beyond it count as missed.")
    var maxOpen: String?

    @Option(help: "Event-loop threads (default: the number of cores). Each takes an equal share of the rate.")
    var threads: String?

    @Option(help: "CSV row interval.")
    var interval = "1s"

    @Option(help: "CSV file, or - for stdout (the default).")
    var csv: String?

    @Option(name: .customLong("protocol"), help: "tcp (optional --send payload) or http (GET, full response).")
    var wireProtocol = "tcp"

    @Option(help: "Payload to write after connect (tcp); escapes \\r \\n \\t \\xHH are decoded.")
    var send: String?

    @Option(help: "Request path for --protocol http.")
    var path = "/"

    @Option(name: .customLong("connect-timeout"), help: "Give up on a handshake after this long.")
    var connectTimeout = "3s"

    @Option(help: "Give up on a whole connection (handshake, exchange and close) after this long.")
    var timeout = "10s"

    @Option(name: .customLong("server-linger"), help: "Linger mode of the built-in server's sockets.")
    var serverLinger = "off"

    @Option(name: .customLong("port-binding"), help: "auto, range (IP_LOCAL_PORT_RANGE) or bind (explicit bind() per port) for --source-ports.")
    var portBinding = "auto"

    func run() throws {
        var text = RunOptionText()
        text.target = target
        text.rate = rate
        text.duration = duration
        text.close = close
        text.linger = linger
        text.sourcePorts = sourcePorts
        text.sourceAddresses = sourceAddr
        text.maxOpen = maxOpen
        text.threads = threads
        text.interval = interval
        text.csv = csv
        text.wireProtocol = wireProtocol
        text.send = send
        text.path = path
        text.connectTimeout = connectTimeout
        text.timeout = timeout
        text.serverLinger = serverLinger
        text.portBinding = portBinding
        let config = try RunConfiguration(parsing: text, defaultThreads: SystemInfo.coreCount)
        let result = try LoadRun.execute(config, log: Stderr.note)
        Stderr.write(result.summary)
        if let signal = result.signal {
            throw ExitCode(signal == 15 ? ExitStatus.terminated : ExitStatus.interrupted)
        }
    }
}
