import ArgumentParser
import TwloadConfig
import TwloadRun

/// `twload serve`: the built-in server alone, for runs from another host or namespace.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Accept connections and close them as --close says, until SIGINT/SIGTERM or --duration."
    )

    @Option(help: "HOST:PORT to listen on (port 0 picks a free one).")
    var listen: String

    @Option(help: "server: close first (after the reply, or right after accept); client: wait for the client's FIN.")
    var close = "client"

    @Option(help: "off, 0 (RST) or SECONDS for the accepted sockets.")
    var linger = "off"

    @Option(name: .customLong("protocol"), help: "tcp (reply \"ok\\n\" to any data) or http (reply 200 to each request).")
    var wireProtocol = "tcp"

    @Flag(name: .customLong("await-request"), help: "With --close server and tcp: wait for data before replying and closing (use when clients --send).")
    var awaitRequest = false

    @Option(help: "Stop after this long (default: run until SIGINT/SIGTERM).")
    var duration: String?

    func run() throws {
        let (address, _) = try ValueParsing.address(listen, option: "--listen", allowZeroPort: true)
        let settings = ServeConfiguration(
            listen: address,
            close: try ValueParsing.choice(close, option: "--close"),
            linger: try ValueParsing.linger(linger),
            wireProtocol: try ValueParsing.choice(wireProtocol, option: "--protocol"),
            awaitRequest: awaitRequest,
            durationNanos: try duration.map { try ValueParsing.duration($0, option: "--duration") })
        let totals = try ServeRun.execute(settings) { bound in
            Stderr.note("serving on \(bound), \(settings.close == .server ? "closing first" : "waiting for the client's FIN")")
        }
        Stderr.write("twload serve: accepted \(totals.accepted), closed first \(totals.activeCloses), "
            + "client closed first \(totals.passiveCloses), resets \(totals.resets), errors \(totals.errors)\n")
    }
}
