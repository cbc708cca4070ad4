import ArgumentParser
import TwloadConfig
import TwloadRun
import TwloadSystem

/// `twload check`: print the preflight block and the prediction for a run, without sending anything.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Print the settings that govern TIME_WAIT here and what a run would do, without sending anything."
    )

    @Option(RunOption.profile) var profile: Given<String>?

    @OptionGroup var options: RunOptions

    /// Takes the same inputs as `run`, profile included, so that it predicts the run the user would start.
    func run() throws {
        let (_, config) = try RunCommand.configuration(profilePath: profile?.value, options: options)
        Stderr.write(try CheckRun.execute(config, reporter: Stderr()))
    }
}
