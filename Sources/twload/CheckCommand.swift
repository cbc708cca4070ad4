import ArgumentParser
import TwloadConfig
import TwloadModel
import TwloadRun
import TwloadSystem

/// `twload check`: print the preflight block and the prediction for a run, without sending anything, and
/// exit 1 when the run would exhaust its ports or collapse before it ends.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Print the settings that govern TIME_WAIT here and what a run would do, without sending anything; "
            + "exit 1 if it would run out of ports or collapse within its duration.",
        usage: """
            twload check --rate <rate> [<options>]
            twload check --profile <profile> [<options>]
            """
    )

    @Option(RunOption.profile) var profile: Given<String>?

    @OptionGroup var options: PredictionOptions
    @Option(RunOption.agents) var agents: Given<Int>?
    @Option(LabOption.topology) var topology: Given<LabTopology.Kind>?
    @Option(LabOption.natAddresses) var natAddresses: Given<Int>?
    @Option(LabOption.natPorts) var natPorts: Given<PortRange>?
    @Option(LabOption.natSpread) var natSpread: Given<LabTopology.Spread>?

    /// Takes the options that matter to a prediction, profile included, so that it predicts the run the user
    /// would start (a profile's run-only keys, such as `csv`, are read and ignored).
    func run() throws {
        var (loaded, config) = try RunCommand.configuration(profilePath: profile?.value, options: options)
        if let n = agents?.value, n > 1 { config.agent = AgentSlot(index: 0, count: n) }
        var given = givenValues()
        try given.checkValid(in: LabOption.topologyOptions)
        // NAT settings alone describe a NAT in the path (a load balancer's or a cloud NAT gateway's).
        if topology == nil, natAddresses != nil || natPorts != nil || natSpread != nil {
            try LabOption.topology.parse(["nat"], into: &given, option: "--topology")
        }
        let nat = try RunResolution.topology(profile: loaded, commandLine: given)
        let result = try CheckRun.execute(config, topology: nat, reporter: Stderr())
        Stderr.writeLines(result.preflight + (result.fleet?.text ?? "") + result.verdict.line + "\n")
        if result.verdict.troubleWithinRun { throw ExitCode(ExitStatus.thresholdFailed.rawValue) }
    }
}
