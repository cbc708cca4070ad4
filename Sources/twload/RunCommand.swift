import ArgumentParser
import TwloadConfig
import TwloadRun
import TwloadSystem

/// `twload run`: drive short connections at `--rate` and record each interval as CSV.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Open and close short connections at an open-loop rate; write one CSV row per interval.",
        usage: """
            twload [run] --rate <rate> [<options>]
            twload [run] --concurrency <n> [<options>]
            twload [run] --profile <profile> [<options>]
            """
    )

    @Option(RunOption.profile) var profile: Given<String>?

    @OptionGroup var options: RunOptions

    func run() throws {
        let stderr = Stderr(try options.stderrMode())
        let (loaded, config) = try Self.configuration(profilePath: profile?.value, options: options, reporter: stderr)
        if let loaded, !loaded.labOptions.isEmpty || !loaded.sysctls.isEmpty {
            // Its thresholds may then read the router's columns, which stay empty here (N/A).
            stderr.warning(
                "\(loaded.path): its lab and sysctl sections apply to twload lab only; twload run ignores them "
                    + "and runs in this host's namespace")
        }
        try Self.finish(LoadRun.execute(config, reporter: stderr), reporter: stderr)
    }

    /// Loads the profile (if any) and combines it with the command line, announcing the profile.
    static func configuration(
        profilePath: String?, options: some ParsableArguments, reporter: Stderr = Stderr()
    ) throws -> (Profile?, RunConfiguration) {
        let loaded = try profilePath.map { try Profile.load(path: $0) }
        let config = try RunResolution.configuration(
            commandLine: options.givenValues(), profile: loaded, defaultThreads: ProcessorCount.online)
        if let loaded { reporter.note("profile \(loaded.path): \(loaded.title)") }
        return (loaded, config)
    }

    /// Prints the summary (also after a failed CSV write; with `--quiet`, only the thresholds that failed),
    /// then throws the documented exit status when it is not 0.
    static func finish(_ result: RunResult, reporter: Stderr) throws {
        if reporter.mode == .quiet {
            for t in result.thresholds where t.verdict != .pass { Stderr.note("threshold: \(t.line)") }
        } else {
            Stderr.writeLines(result.summary)
        }
        if let error = result.csvWriteError { throw RunFailure.csvWriteFailed(error) }
        if let error = result.summaryWriteError { throw RunFailure.summaryWriteFailed(error) }
        if let status = ExitStatus(of: result) { throw ExitCode(status.rawValue) }
    }
}
