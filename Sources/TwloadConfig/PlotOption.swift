import TwloadModel

/// The options of `twload plot`, each declared once, in the order of the README's table. The CSV is the
/// command's argument, not an option.
public enum PlotOption {
    public static let summary = OptionSpec<String>(
        "summary", syntax: "RUN.json", default: .none, completion: .file(extensions: ["json"]),
        help: "The run's summary JSON (`--summary-json`). It adds the predicted markers and TIME_WAIT plateaus, "
            + "and the measured markers are taken from it rather than from the CSV. A `twload find` summary instead "
            + "adds each probe's verdict and the search's maximum and sustainable rates."
    ) { text, option throws(ConfigError) in try ValueParsing.file(text, option: option) }

    public static let output = OptionSpec<PlotOutput>(
        "output", short: "o", syntax: "OUT.html|OUT.svg", default: .required,
        completion: .file(extensions: ["html", "svg"]),
        help: "The file to write, created or truncated. Its extension picks the format: `.svg` for a "
            + "standalone SVG image, `.html` (or `.htm`) for a page with the same SVG inline and a time cursor."
    ) { text, option throws(ConfigError) in
        guard let format = PlotFormat(path: text) else {
            throw ConfigError(option, "must end in .svg or .html (got '\(text)')")
        }
        return PlotOutput(path: text, format: format)
    }

    /// In the README's order.
    public static let all: [any AnyOptionSpec] = [summary, output]

    /// A validated `twload plot` of the CSV at `csv`.
    public static func configuration(_ values: OptionValues, csv: String) throws(ConfigError) -> PlotConfiguration {
        try values.checkValid(in: all)
        guard !csv.isEmpty else { throw ConfigError("RUN.csv", "expected a file path (got '')") }
        guard let out = values[output] else { throw ConfigError(output.flag, "is required") }
        return PlotConfiguration(csv: csv, summary: values[summary], output: out)
    }
}

/// Where `twload plot` writes, and as what.
public struct PlotOutput: Sendable, Equatable {
    public var path: String
    public var format: PlotFormat

    public init(path: String, format: PlotFormat) {
        self.path = path
        self.format = format
    }
}

/// A validated `twload plot`.
public struct PlotConfiguration: Sendable, Equatable {
    /// The CSV of `twload run` or `twload watch`.
    public var csv: String
    /// The run's summary JSON, if given.
    public var summary: String?
    public var output: PlotOutput

    public init(csv: String, summary: String?, output: PlotOutput) {
        self.csv = csv
        self.summary = summary
        self.output = output
    }
}
