import ArgumentParser
import TwloadConfig
import TwloadRun

/// `twload run`: drive short connections at `--rate` and record each interval as CSV.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Open and close short connections at an open-loop rate; write one CSV row per interval."
    )

    @Option(help: "A profile (YAML) with run options, a rate schedule and thresholds; options given here win.")
    var profile: String?

    @OptionGroup var options: RunOptions

    func run() throws {
        let (_, config) = try Self.configuration(profilePath: profile, options: options)
        try Self.finish(LoadRun.execute(config, reporter: Stderr()))
    }

    /// Loads the profile (if any) and combines it with the command line, announcing the profile.
    static func configuration(profilePath: String?, options: RunOptions) throws -> (Profile?, RunConfiguration) {
        let loaded = try profilePath.map { try Profile.load(path: $0) }
        let config = try ProfileApplication.configuration(
            profile: loaded, overrides: options.overrides(), failOn: options.failOn,
            defaultThreads: SystemInfo.coreCount)
        if let loaded { Stderr.note("profile \(loaded.path): \(loaded.title)") }
        return (loaded, config)
    }

    /// Prints the summary and turns the outcome into the documented exit status.
    static func finish(_ result: RunResult) throws {
        Stderr.write(result.summary)
        if let signal = result.signal {
            throw ExitCode(signal == 15 ? ExitStatus.terminated : ExitStatus.interrupted)
        }
        if !result.thresholdsHeld { throw ExitCode(ExitStatus.thresholdFailed) }
    }
}
