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

    @OptionGroup var options: RunOptions

    func run() throws {
        let config = try RunConfiguration(options.givenValues(), defaultThreads: ProcessorCount.online)
        Stderr.write(try CheckRun.execute(config, reporter: Stderr()))
    }
}
