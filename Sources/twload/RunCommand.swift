import ArgumentParser
import TwloadConfig
import TwloadRun
import TwloadSystem

/// `twload run`: drive short connections at `--rate` and record each interval as CSV.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Open and close short connections at an open-loop rate; write one CSV row per interval."
    )

    @Option(RunOption.profile) var profile: Given<String>?

    @OptionGroup var options: RunOptions

    func run() throws {
        let (_, config) = try Self.configuration(profilePath: profile?.value, options: options)
        try Self.finish(LoadRun.execute(config, reporter: Stderr()))
    }

    /// Loads the profile (if any) and combines it with the command line, announcing the profile.
    static func configuration(profilePath: String?, options: RunOptions) throws -> (Profile?, RunConfiguration) {
        let loaded = try profilePath.map { try Profile.load(path: $0) }
        let config = try RunResolution.configuration(
            commandLine: options.givenValues(), profile: loaded, defaultThreads: ProcessorCount.online)
        if let loaded { Stderr.note("profile \(loaded.path): \(loaded.title)") }
        return (loaded, config)
    }

    /// Prints the summary (also after a failed CSV write), then throws the documented exit status when it
    /// is not 0.
    static func finish(_ result: RunResult) throws {
        Stderr.write(result.summary)
        if let error = result.csvWriteError { throw RunFailure.csvWriteFailed(error) }
        if let error = result.summaryWriteError { throw RunFailure.summaryWriteFailed(error) }
        if let status = ExitStatus(of: result) { throw ExitCode(status.rawValue) }
    }
}
