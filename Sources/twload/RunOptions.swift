import ArgumentParser
import TwloadConfig
import TwloadModel
import TwloadSystem

/// The options of a load run, shared by `run` and `lab`: one line per declared option (`RunOption`), whose
/// name, help, default and parser all come from the declaration. (`check` takes `PredictionOptions`.)
struct RunOptions: ParsableArguments {
    @Option(RunOption.target) var target: Given<Endpoint>?
    @Option(RunOption.rate) var rate: Given<RateSpec>?
    @Option(RunOption.ramp) var ramp: Given<Int64>?
    @Option(RunOption.step) var step: Given<Int64>?
    @Option(RunOption.concurrency) var concurrency: Given<Int>?
    @Option(RunOption.duration) var duration: Given<Int64>?
    @Option(RunOption.close) var close: Given<CloseSide>?
    @Option(RunOption.linger) var linger: Given<LingerMode>?
    @Option(RunOption.sourcePorts) var sourcePorts: Given<PortRange>?
    @Option(RunOption.sourceAddr) var sourceAddr: [Given<SocketAddress>]
    @Option(RunOption.maxOpen) var maxOpen: Given<Int>?
    @Option(RunOption.threads) var threads: Given<Int>?
    @Option(RunOption.engine) var engine: Given<ClientEngine>?
    @Option(RunOption.interval) var interval: Given<Int64>?
    @Option(RunOption.csv) var csv: Given<OutputDestination>?
    @Option(RunOption.summaryJSON) var summaryJSON: Given<String>?
    @Option(RunOption.wireProtocol) var wireProtocol: Given<WireProtocol>?
    @Option(RunOption.send) var send: Given<[UInt8]>?
    @Option(RunOption.path) var path: Given<String>?
    @Option(RunOption.requestsPerConnection) var requestsPerConnection: Given<Int>?
    @Option(RunOption.think) var think: Given<Int64>?
    @Option(RunOption.expectStatus) var expectStatus: Given<StatusSet>?
    @Option(RunOption.connectTimeout) var connectTimeout: Given<Int64>?
    @Option(RunOption.timeout) var timeout: Given<Int64>?
    @Option(RunOption.serverLinger) var serverLinger: Given<LingerMode>?
    @Option(RunOption.serverMaxRequests) var serverMaxRequests: Given<Int>?
    @Option(RunOption.serverKeepAliveTimeout) var serverKeepAliveTimeout: Given<Int64>?
    @Option(RunOption.hold) var hold: Given<Int64>?
    @Option(RunOption.portBinding) var portBinding: Given<PortBinding>?
    @Option(RunOption.agent) var agent: Given<AgentSlot>?
    @Option(RunOption.startAt) var startAt: Given<WallTime>?
    @Option(RunOption.maxLate) var maxLate: Given<Int64>?
    @Option(RunOption.runID) var runID: Given<String>?
    @Option(RunOption.out) var out: Given<String>?
    @Option(RunOption.failOn) var failOn: [Given<Threshold>]
    @Flag(RunOption.quiet) var quiet: Bool
    @Flag(RunOption.progress) var progress: Bool

    /// What stderr shows: `--quiet` and `--progress` together contradict each other.
    func stderrMode() throws(ConfigError) -> Stderr.Mode {
        switch (quiet, progress) {
        case (true, true): throw ConfigError(RunOption.quiet.flag, "and --progress contradict each other; give one")
        case (true, false): .quiet
        case (false, true): .progress
        case (false, false): .normal
        }
    }
}
