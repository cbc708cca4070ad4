import ArgumentParser
import TwloadConfig
import TwloadModel
import TwloadPlot
import TwloadSystem

/// `twload plot`: reads a run's (or watch's, or find's) CSV and optional summary JSON, renders them with TwloadPlot, and
/// writes one self-contained SVG or HTML file.
struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Draw a twload CSV as one self-contained SVG or HTML file: rates, TIME_WAIT, latency (log) and "
            + "errors over time, with markers for the first EADDRNOTAVAIL and the collapse."
    )

    @Argument(
        help: ArgumentHelp("The CSV of a twload run (or of twload watch or twload find).", valueName: "RUN.csv"),
        completion: .file(extensions: ["csv"])
    )
    var csv: String
    @Option(PlotOption.summary) var summary: Given<String>?
    @Option(required: PlotOption.output) var output: Given<PlotOutput>

    /// Inputs larger than this are refused rather than read whole (an hour of rows is about 1 MB).
    static let maxInputBytes = 256 << 20

    func run() throws {
        let config = try PlotOption.configuration(givenValues(), csv: csv)
        let csvText = try Self.read(config.csv)
        let summaryText = try config.summary.map { path throws(PlotFileFailure) in try Self.read(path) }
        let out = try Plot.render(
            csv: csvText, csvFile: config.csv, summary: summaryText, summaryFile: config.summary ?? "",
            format: config.output.format)
        for note in out.notes { Stderr.note("plot: " + note) }
        do {
            try OutputFile(creating: config.output.path).write(out.text)
        } catch {
            throw PlotFileFailure(message: "\(config.output.path): cannot write: \(error)", status: .cannotCreateCSV)
        }
    }

    /// A whole input file as text; a file that cannot be read is status 66 (EX_NOINPUT).
    static func read(_ path: String) throws(PlotFileFailure) -> String {
        do {
            return try InputFile.read(path, limit: maxInputBytes)
        } catch {
            let status: ExitStatus = if case .tooLarge = error { .dataError } else { .noInput }
            throw PlotFileFailure(message: "\(path): \(error.message)", status: status)
        }
    }
}

/// A file `twload plot` could not read or write, with the status it exits with.
struct PlotFileFailure: Error {
    let message: String
    let status: ExitStatus
}
