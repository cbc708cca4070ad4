import ArgumentParser
import TwloadConfig
import TwloadMerge
import TwloadModel
import TwloadSystem

/// `twload merge`: one result from a fleet's agents (`run --out`), exact: counters summed row by row,
/// latencies from the agents' histograms added bucket by bucket.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the output folders of a fleet's agents (run --agent I/N --out DIR) into one CSV, one "
            + "histogram log per latency and one summary, joining rows by interval_index."
    )

    @Argument(
        help: ArgumentHelp("The agents' --out folders (one folder may hold several agents).", valueName: "DIR"),
        completion: .directory
    )
    var folders: [String]
    @Option(MergeOption.output) var output: Given<OutputDestination>?
    @Option(MergeOption.summaryJSON) var summaryJSON: Given<String>?
    @Option(MergeOption.expect) var expect: Given<Int>?
    @Option(MergeOption.watch) var watch: [Given<String>]

    func run() throws {
        let values = givenValues()
        try values.checkValid(in: MergeOption.all)
        guard !folders.isEmpty else { throw ConfigError("DIR", "give at least one agent folder") }
        let destination = values.value(MergeOption.output) ?? .standardOutput
        let merged = try FleetMerge.merge(
            folders: folders, watch: values.list(MergeOption.watch), expect: values[MergeOption.expect])
        if let path = destination.path {
            try Self.write(merged.csv, toFile: path)
            if path.hasSuffix(".csv") {
                for log in merged.logs { try Self.write(log.text, toFile: "\(path.dropLast(4)).\(log.name).hlog") }
            } else if !merged.logs.isEmpty {
                Stderr.note("merge: the merged histogram logs are written beside an -o FILE.csv, as FILE.NAME.hlog")
            }
        } else {
            do throws(SystemError) {
                try OutputFile.standardOutput().write(merged.csv)
            } catch {
                throw MergeFailure.cannotCreate(path: "stdout", error)
            }
            if !merged.logs.isEmpty {
                Stderr.note("merge: the merged histogram logs are written beside an -o FILE.csv, as FILE.NAME.hlog")
            }
        }
        if let path = values[MergeOption.summaryJSON] {
            try Self.write(merged.summary.json.rendered() + "\n", toFile: path)
        }
        Stderr.write(merged.summary.text)
        if merged.summary.isPartial { throw ExitCode(ExitStatus.partialMerge.rawValue) }
    }

    /// Writes `text` into `path`, created or truncated.
    static func write(_ text: String, toFile path: String) throws(MergeFailure) {
        do throws(SystemError) {
            try OutputFile(creating: path).write(text)
        } catch {
            throw .cannotCreate(path: path, error)
        }
    }
}
