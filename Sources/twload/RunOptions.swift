import ArgumentParser
import TwloadConfig
import TwloadModel
import TwloadSystem

/// The options of a load run, shared by `run`, `check` and `lab`: one line per declared option
/// (`RunOption`), whose name, help, default and parser all come from the declaration.
struct RunOptions: ParsableArguments {
    @Option(RunOption.target) var target: Given<Endpoint>?
    @Option(RunOption.rate) var rate: Given<Double>?
    @Option(RunOption.duration) var duration: Given<Int64>?
    @Option(RunOption.close) var close: Given<CloseSide>?
    @Option(RunOption.linger) var linger: Given<LingerMode>?
    @Option(RunOption.sourcePorts) var sourcePorts: Given<PortRange>?
    @Option(RunOption.sourceAddr) var sourceAddr: [Given<SocketAddress>]
    @Option(RunOption.maxOpen) var maxOpen: Given<Int>?
    @Option(RunOption.threads) var threads: Given<Int>?
    @Option(RunOption.interval) var interval: Given<Int64>?
    @Option(RunOption.csv) var csv: Given<OutputDestination>?
    @Option(RunOption.summaryJSON) var summaryJSON: Given<String>?
    @Option(RunOption.wireProtocol) var wireProtocol: Given<WireProtocol>?
    @Option(RunOption.send) var send: Given<[UInt8]>?
    @Option(RunOption.path) var path: Given<String>?
    @Option(RunOption.expectStatus) var expectStatus: Given<StatusSet>?
    @Option(RunOption.connectTimeout) var connectTimeout: Given<Int64>?
    @Option(RunOption.timeout) var timeout: Given<Int64>?
    @Option(RunOption.serverLinger) var serverLinger: Given<LingerMode>?
    @Option(RunOption.portBinding) var portBinding: Given<PortBinding>?
    @Option(RunOption.failOn) var failOn: [Given<Threshold>]
}
