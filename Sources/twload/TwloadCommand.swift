import ArgumentParser
import TwloadConfig
import TwloadMerge
import TwloadModel
import TwloadPlot
import TwloadRun
import TwloadSystem
import TwloadVersion

/// `twload`: the root command. `run` is the default subcommand, so `twload --rate 2000` works.
@main
struct TwloadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "twload",
        abstract: "Open short TCP connections at an open-loop rate and record what breaks: errors by errno, "
            + "connect() slowdowns and TIME_WAIT, per interval, as CSV.",
        discussion: ExitStatus.helpSection,
        version: "twload " + TwloadVersion.description,
        subcommands: [
            RunCommand.self, CheckCommand.self, LabCommand.self, FindCommand.self, ServeCommand.self, WatchCommand.self,
            PlotCommand.self,
            MergeCommand.self,
        ],
        defaultSubcommand: RunCommand.self
    )

    /// Parses, runs, and turns every error into one line on stderr with a documented exit status.
    static func main() {
        // Before anything opens a descriptor: a closed stdout must not become a socket's number.
        StandardStreams.reopenClosed()
        TerminationSignals.restoreDefaults()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as ConfigError {
            Self.fail("\(error)", status: .usage)
        } catch let error as ProfileError {
            Self.fail("\(error)", status: .usage)
        } catch let error as RunResolution.Failure {
            Self.fail("\(error)", status: .usage)
        } catch let error as PlotError {
            Self.fail("\(error)", status: .dataError)
        } catch let error as PlotFileFailure {
            Self.fail(error.message, status: error.status)
        } catch let error as MergeFailure {
            Self.fail("\(error)", status: ExitStatus(of: error))
        } catch let error as RunFailure {
            Self.fail("\(error)", status: ExitStatus(of: error))
        } catch let error as ExitCode {
            Self.exit(withError: error)
        } catch {
            if exitCode(for: error) == .success {
                let text = fullMessage(for: error)
                if text.hasPrefix("#!/bin/bash") {
                    // `--generate-completion-script bash`: taught that `run` is the default subcommand.
                    Stderr.writeStandardOutput(BashCompletion.withDefaultSubcommand(text) + "\n")
                    Self.exit()
                }
                Self.exit(withError: error)
            }
            let message = Self.message(for: error).split(separator: "\n").first.map(String.init) ?? "invalid usage"
            Self.fail(message, status: .usage)
        }
    }

    static func fail(_ message: String, status: ExitStatus) -> Never {
        Stderr.write("twload: error: \(message)\n")
        Self.exit(withError: ExitCode(status.rawValue))
    }
}
