import TwloadConfig

/// `twload check`: the preflight and prediction of a run, without sending anything or starting a server.
public enum CheckRun {
    /// The preflight text for `config` in the current network namespace.
    public static func execute(_ config: RunConfiguration, reporter: some RunReporter) throws(RunFailure) -> String {
        let plan = try RunPlan.make(config, reporter: reporter)
        return plan.preflight(target: config.target?.address, namespace: "this host's network namespace").1
    }
}
