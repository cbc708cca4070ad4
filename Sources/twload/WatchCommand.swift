import ArgumentParser
import TwloadConfig
import TwloadModel
import TwloadRun
import TwloadSystem

/// `twload watch`: the TCP state census as CSV, with no load (for a server host or a production box).
struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Record TCP sockets per state (and TIME_WAIT counters) as CSV, without generating load."
    )

    @Option(WatchOption.port) var port: Given<UInt16>?
    @Option(WatchOption.target) var target: Given<SocketAddress>?
    @Option(WatchOption.interval) var interval: Given<Int64>?
    @Option(WatchOption.duration) var duration: Given<Int64>?
    @Option(WatchOption.csv) var csv: Given<OutputDestination>?
    @Option(WatchOption.startAt) var startAt: Given<WallTime>?

    func run() throws {
        let config = try WatchOption.configuration(givenValues())
        let rows = try WatchRun.execute(config, reporter: Stderr())
        Stderr.note("watch: \(NumberText.counted(rows, "row")) written")
    }
}
