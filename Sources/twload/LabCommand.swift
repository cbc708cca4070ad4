import ArgumentParser
import TwloadConfig
import TwloadRun

/// `twload lab`: a run inside a private network namespace with its own sysctls.
struct LabCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lab",
        abstract: "Run against the built-in server in a private network namespace with its own sysctls "
            + "(tcp_tw_reuse=0 by default). The host's settings are never written."
    )

    @Argument(help: "A profile (YAML), e.g. profiles/client-close-exhausts-port-range.yaml.")
    var profile: String?

    @Option(name: .customLong("sysctl"), help: "KEY=VALUE for the lab's namespace only (net.* keys); repeatable.")
    var sysctls: [String] = []

    @OptionGroup var options: RunOptions

    func run() throws {
        let (loaded, config) = try RunCommand.configuration(profilePath: profile, options: options)
        let sysctls = try ProfileApplication.sysctls(profile: loaded, cli: sysctls)
        try RunCommand.finish(LabRun.execute(config, sysctls: sysctls, reporter: Stderr()))
    }
}
