import ArgumentParser
import Twload

/// `twload run`: drive short connections at `--rate` and record each interval as CSV.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Open and close short connections at an open-loop rate; write one CSV row per interval."
    )

    @OptionGroup var options: RunOptions

    func run() throws {
        let config = try RunConfiguration(parsing: options.text(), defaultThreads: SystemInfo.coreCount)
        let result = try LoadRun.execute(config, log: Stderr.note, preflight: Stderr.write)
        Stderr.write(result.summary)
        if let signal = result.signal {
            throw ExitCode(signal == 15 ? ExitStatus.terminated : ExitStatus.interrupted)
        }
        if !result.thresholdsHeld { throw ExitCode(ExitStatus.thresholdFailed) }
    }
}
