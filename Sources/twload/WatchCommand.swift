import ArgumentParser
import TwloadConfig
import TwloadRun

/// `twload watch`: the TCP state census as CSV, with no load (for a server host or a production box).
struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Record TCP sockets per state (and TIME_WAIT counters) as CSV, without generating load."
    )

    @Option(help: "Count the server side: sockets whose local port is P.")
    var port: String?

    @Option(help: "Count the client side: sockets whose peer is HOST:PORT.")
    var target: String?

    @Option(help: "CSV row interval.")
    var interval = "1s"

    @Option(help: "Stop after this long (default: until SIGINT/SIGTERM).")
    var duration: String?

    @Option(help: "CSV file, or - for stdout (the default).")
    var csv: String?

    func run() throws {
        let config = WatchConfiguration(
            port: try port.map { try ValueParsing.port($0, option: "--port") },
            target: try target.map { try ValueParsing.address($0, option: "--target").address },
            intervalNanos: try ValueParsing.interval(interval),
            durationNanos: try duration.map { try ValueParsing.duration($0, option: "--duration") },
            csvPath: csv == "-" ? nil : csv)
        let rows = try WatchRun.execute(config, reporter: Stderr())
        Stderr.note("watch: \(rows) rows written")
    }
}
