import TwloadModel

/// The options of `twload merge`, each declared once, in the order of the README's table. The agents'
/// folders are the command's arguments.
public enum MergeOption {
    public static let output = OptionSpec<OutputDestination>(
        "output", short: "o", syntax: "MERGED.csv|-", default: .text("-", note: "stdout"),
        completion: .file(extensions: ["csv"]),
        help: "Where the merged CSV goes. Beside a file whose name ends in `.csv`, `MERGED.csv`, one merged "
            + "HdrHistogram log per latency is written as `MERGED.NAME.hlog`."
    ) { text, option throws(ConfigError) in try ValueParsing.output(text, option: option) }

    public static let summaryJSON = OptionSpec<String>(
        "summary-json", syntax: "PATH", default: .none, completion: .file(extensions: ["json"]),
        help: "Also write the merged summary as JSON (`docs/merge.schema.json`): the agents found, whether the "
            + "result is partial and why, the warnings, and every column over the run."
    ) { text, option throws(ConfigError) in try ValueParsing.file(text, option: option) }

    public static let expect = OptionSpec<Int>(
        "expect", syntax: "N", default: .described("the N of the agents' `--agent I/N`"),
        help: "How many agents the run had. One without files, or without rows to the end, makes the merge "
            + "partial (exit status 3)."
    ) { text, option throws(ConfigError) in try ValueParsing.integer(text, option: option, in: 1...10_000) }

    public static let watch = OptionSpec<String>(
        "watch", syntax: "WATCH.csv", default: .none, repeatable: true, completion: .file(extensions: ["csv"]),
        help: "A `twload watch` CSV of the target (repeatable), written with the agents' `--start-at` and "
            + "`--interval`: its columns join the merged rows on the same grid as `watch_NAME`."
    ) { text, option throws(ConfigError) in try ValueParsing.file(text, option: option) }

    /// In the README's order.
    public static let all: [any AnyOptionSpec] = [output, summaryJSON, expect, watch]
}
