import ArgumentParser
import TwloadConfig
import TwloadModel
import TwloadRun
import TwloadSystem

/// `twload serve`: the built-in server alone, for runs from another host or namespace.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Accept connections and close them as --close says, until SIGINT/SIGTERM or --duration."
    )

    @Option(required: ServeOption.listen) var listen: Given<SocketAddress>
    @Option(ServeOption.close) var close: Given<CloseSide>?
    @Option(ServeOption.linger) var linger: Given<LingerMode>?
    @Option(ServeOption.wireProtocol) var wireProtocol: Given<WireProtocol>?
    @Flag(ServeOption.awaitRequest) var awaitRequest: Bool
    @Option(ServeOption.hold) var hold: Given<Int64>?
    @Option(ServeOption.maxRequests) var maxRequests: Given<Int>?
    @Option(ServeOption.keepAliveTimeout) var keepAliveTimeout: Given<Int64>?
    @Option(ServeOption.duration) var duration: Given<Int64>?

    func run() throws {
        let config = try ServeOption.configuration(givenValues(), awaitRequest: awaitRequest)
        let totals = try ServeRun.execute(config) { bound in
            let held = config.holdNanos > 0 ? ", holding each connection \(hold?.text ?? "")" : ""
            Stderr.note(
                "serving on \(bound), \(config.close == .server ? "closing first" : "waiting for the client's FIN")"
                    + held)
        }
        Stderr.writeLines(
            "twload serve: accepted \(totals.accepted), closed first \(totals.activeCloses), "
                + "client closed first \(totals.passiveCloses), resets \(totals.resets), errors \(totals.errors)\n")
    }
}
