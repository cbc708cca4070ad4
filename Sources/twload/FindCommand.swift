import ArgumentParser
import TwloadConfig
import TwloadModel
import TwloadRun
import TwloadSystem

/// `twload find`: searches for the highest rate of new connections that holds, and says what bounds it.
struct FindCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "find",
        abstract: "Search for the highest rate of new connections that holds for --dwell, say what bounds it "
            + "(this host's CPU or ports, the server, the path), and the rate sustainable indefinitely.",
        usage: """
            twload find [<run options>] [--criteria <expr> ...] [--dwell <d>] [--min <r>] [--max <r>]
                        [--resolution <p%>] [--confirm <d>] [--lab [<lab options>]]
            """
    )

    @Option(FindOption.criteria) var criteria: [Given<Threshold>]
    @Option(FindOption.dwell) var dwell: Given<Int64>?
    @Option(FindOption.minimum) var minimum: Given<Double>?
    @Option(FindOption.maximum) var maximum: Given<Double>?
    @Option(FindOption.resolution) var resolution: Given<Double>?
    @Option(FindOption.confirm) var confirm: Given<Int64>?
    @Flag(FindOption.lab) var lab: Bool
    @OptionGroup var labOptions: LabOptions

    @OptionGroup var options: RunOptions

    func run() throws {
        let stderr = Stderr(try options.stderrMode())
        let runValues = options.givenValues()
        let own = givenValues()
        let labValues = labOptions.givenValues()
        let find = try FindOption.configuration(runValues.overridden(by: own))
        try labValues.checkValid(in: LabOption.all)
        var probeValues = runValues
        probeValues.set(RunOption.rate, [.constant(find.minimumRate)])
        let config = try RunResolution.configuration(
            commandLine: probeValues, profile: nil, defaultThreads: ProcessorCount.online)
        let labSetup = try Self.labSetup(lab, labValues)
        let result = try FindRun.execute(
            config, find: find, lab: labSetup, reporter: stderr,
            show: { line in if stderr.mode != .quiet { Stderr.writeLines(line + "\n") } })
        Stderr.writeLines(FindReport.result(result, find: find).joined(separator: "\n") + "\n")
        if let error = result.csvWriteError { throw RunFailure.csvWriteFailed(error) }
        if let error = result.summaryWriteError { throw RunFailure.summaryWriteFailed(error) }
        if let signal = result.signal { throw ExitCode(ExitStatus(rawValue: 128 + signal)?.rawValue ?? 130) }
        if result.maximum == nil { throw ExitCode(ExitStatus.thresholdFailed.rawValue) }
    }

    /// The lab every probe gets with `--lab`; the lab options without it are an error.
    static func labSetup(_ lab: Bool, _ values: OptionValues) throws -> LabSetup? {
        guard lab else {
            if let given = LabOption.all.first(where: { values.contains($0.name) }) {
                throw ConfigError("--" + given.name, "applies to the lab: add --lab")
            }
            return nil
        }
        return LabSetup(
            sysctls: RunResolution.sysctls(profile: nil, commandLine: values.list(LabOption.sysctl)),
            topology: try RunResolution.topology(profile: nil, commandLine: values))
    }
}
