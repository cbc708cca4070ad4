import Testing
import TwloadConfig
import TwloadModel
import TwloadSystem
import TwloadTestSupport

/// The option declarations: one each, and everything derived from them.
struct OptionDeclarationTests {
    static let tables: [[any AnyOptionSpec]] = [
        RunOption.readmeTable, ServeOption.all, WatchOption.all, LabOption.all, PlotOption.all,
    ]

    @Test func everyDefaultWrittenAsTextParsesWithItsOwnParser() {
        for spec in Self.tables.joined() { #expect(spec.defaultIsValid, "--\(spec.name)") }
        #expect(RunOption.duration.fixedDefault == 30_000_000_000)
        #expect(RunOption.interval.fixedDefault == 1_000_000_000)
        #expect(RunOption.csv.fixedDefault == .standardOutput)
        #expect(RunOption.linger.fixedDefault == .off)
        #expect(RunOption.portBinding.fixedDefault == .auto)
        #expect(ServeOption.close.fixedDefault == .client)
        #expect(RunOption.rate.fixedDefault == nil)
    }

    @Test func aDefaultThatItsParserRejectsIsCaught() {
        let broken = OptionSpec<Int64>("wait", syntax: "D", default: .text("soon"), help: "x") {
            text, option throws(ConfigError) in
            try ValueParsing.duration(text, option: option)
        }
        #expect(!broken.defaultIsValid)
    }

    @Test func namesAreUniqueWithinEachCommand() {
        for table in Self.tables {
            let names = table.map(\.name)
            #expect(Set(names).count == names.count)
        }
    }

    @Test func onlyListOptionsAreRepeatable() {
        let repeatable = Self.tables.joined().filter(\.isRepeatable).map(\.name)
        #expect(repeatable == ["source-addr", "fail-on", "sysctl"])
    }

    @Test func aValueThatDoesNotParseIsKeptAsItsErrorUntilTheRunIsMade() {
        let values = OptionValues(texts: ["rate": ["100"], "linger": ["sometimes"]])
        #expect(values.contains("linger"))
        #expect(values[RunOption.linger] == nil)
        #expect(throws: ConfigError("--linger", "expected off, 0 or a number of seconds up to 3600 (got 'sometimes')"))
        {
            try RunConfiguration(values, defaultThreads: 1)
        }
    }

    @Test func theCommandLineReplacesAProfileValueOptionByOption() {
        let file = OptionValues(texts: [
            "rate": ["100"], "close": ["server"], "source-addr": ["127.0.0.2", "127.0.0.3"],
        ])
        let cli = OptionValues(texts: ["close": ["client"], "source-addr": ["127.0.0.4"]])
        let merged = file.overridden(by: cli)
        #expect(merged[RunOption.rate] == .constant(100))
        #expect(merged[RunOption.close] == .client)
        #expect(merged.list(RunOption.sourceAddr).map(\.ipString) == ["127.0.0.4"])
    }

    @Test func plotOutputFormatFollowsItsExtensionAndItsShortNameIsInTheREADME() throws {
        #expect(try PlotOption.output.value(of: "run.svg") == PlotOutput(path: "run.svg", format: .svg))
        #expect(try PlotOption.output.value(of: "out/Run.HTML") == PlotOutput(path: "out/Run.HTML", format: .html))
        #expect(throws: ConfigError("--output", "must end in .svg or .html (got 'run.png')")) {
            try PlotOption.output.value(of: "run.png")
        }
        #expect(PlotOption.output.readmeOption == "`-o, --output OUT.html\\|OUT.svg`")
        #expect(throws: ConfigError("--output", "is required")) {
            try PlotOption.configuration(OptionValues(), csv: "run.csv")
        }
    }

    @Test func markdownHelpBecomesPlainTextForTheCommandLine() {
        #expect(PlainText.fromMarkdown("`--rate` (see [Pacing](#open-loop-pacing)) a\\|b") == "--rate (see Pacing) a|b")
        #expect(PlainText.fromMarkdown("[not a link] and [x](y") == "[not a link] and [x](y")
    }
}
