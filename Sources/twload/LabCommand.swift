import ArgumentParser
import TwloadConfig
import TwloadModel
import TwloadRun

/// `twload lab`: a run inside a private network namespace with its own sysctls.
struct LabCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lab",
        abstract: "Run against the built-in server in a private network namespace with its own sysctls "
            + "(tcp_tw_reuse=0 by default). The host's settings are never written.",
        usage: """
            twload lab <profile> [<options>]
            twload lab --rate <rate> [<options>]
            """
    )

    @Argument(
        help: "A profile (YAML), e.g. profiles/client-close-exhausts-port-range.yaml.",
        completion: RunOption.profile.completion.kind)
    var profile: String?

    @OptionGroup var lab: LabOptions

    @OptionGroup var options: RunOptions

    func run() throws {
        let stderr = Stderr(try options.stderrMode())
        let (loaded, config) = try RunCommand.configuration(profilePath: profile, options: options, reporter: stderr)
        let given = lab.givenValues()
        try given.checkValid(in: LabOption.all)
        let sysctls = RunResolution.sysctls(profile: loaded, commandLine: given.list(LabOption.sysctl))
        let topology = try RunResolution.topology(profile: loaded, commandLine: given)
        try RunCommand.finish(
            LabRun.execute(config, sysctls: sysctls, topology: topology, reporter: stderr), reporter: stderr)
    }
}
