import ArgumentParser
import TwloadConfig
import TwloadModel
import TwloadSystem

/// The options `twload check` takes: the run options a prediction reads (`RunOption.prediction`), one line
/// per declaration, so `check --help` offers none that would do nothing there (`--csv`, `--fail-on`,
/// `--interval`, ...). A test compares this list with `RunOption.prediction`.
struct PredictionOptions: ParsableArguments {
    @Option(RunOption.target) var target: Given<Endpoint>?
    @Option(RunOption.rate) var rate: Given<RateSpec>?
    @Option(RunOption.ramp) var ramp: Given<Int64>?
    @Option(RunOption.step) var step: Given<Int64>?
    @Option(RunOption.duration) var duration: Given<Int64>?
    @Option(RunOption.close) var close: Given<CloseSide>?
    @Option(RunOption.linger) var linger: Given<LingerMode>?
    @Option(RunOption.sourcePorts) var sourcePorts: Given<PortRange>?
    @Option(RunOption.sourceAddr) var sourceAddr: [Given<SocketAddress>]
    @Option(RunOption.maxOpen) var maxOpen: Given<Int>?
    @Option(RunOption.threads) var threads: Given<Int>?
    @Option(RunOption.portBinding) var portBinding: Given<PortBinding>?
    @Option(RunOption.hold) var hold: Given<Int64>?
    @Option(RunOption.summaryJSON) var summaryJSON: Given<String>?
}
