import TwloadConfig
import TwloadReport
import TwloadSystem

/// What `twload check` found: the prediction, the preflight block that explains it, and the verdict on the
/// run's duration. A machine-readable form (a JSON summary of the prediction) would be written from here.
public struct CheckResult: Sendable {
    /// What the prediction was made from (kernel settings, rate, close side, port space, threads).
    public var inputs: Prediction.Inputs
    public var prediction: Prediction
    /// The run's scheduled length, which the verdict weighs the prediction against.
    public var durationSeconds: Double
    /// The preflight block, several lines, each ending in a newline.
    public var preflight: String
    public var verdict: CheckVerdict
    /// With `--agents N` (N > 1): the fleet's port budget and timing, per agent and in total.
    public var fleet: FleetPrediction?
    /// With `--topology nat` (or `--nat-ports`): what a source NAT in the path does to the run.
    public var nat: NatPrediction?
}

/// `twload check`: the preflight and prediction of a run, without sending anything or starting a server.
public enum CheckRun {
    /// The preflight, prediction and verdict for `config` in the current network namespace.
    public static func execute(
        _ config: RunConfiguration, topology: LabTopology = LabTopology(), reporter: some RunReporter
    ) throws(RunFailure) -> CheckResult {
        let plan = try RunPlan.make(config, reporter: reporter)
        let summaryFile = try RunSetup.create(summaryJSON: config.summaryJSON)
        let target = config.target?.address
        let inputs = plan.predictionInputs(target: target)
        let nat = plan.natPrediction(topology)
        let (prediction, text) = plan.preflight(target: target, namespace: "this host's network namespace", nat: nat)
        let duration = Double(config.schedule.durationNanos) / 1e9
        let result = CheckResult(
            inputs: inputs, prediction: prediction, durationSeconds: duration, preflight: text,
            verdict: CheckVerdict(prediction, durationSeconds: duration, nat: nat),
            fleet: config.agent.count > 1
                ? FleetPrediction(prediction, agents: config.agent.count, fleetRate: config.schedule.peakRate) : nil,
            nat: nat)
        if let summaryFile {
            do throws(SystemError) {
                try summaryFile.writeRecord(SummaryDocument.check(result, config: config).rendered() + "\n")
            } catch {
                throw .summaryWriteFailed(error)
            }
        }
        return result
    }
}
