import Testing
import TwloadConfig
import TwloadModel

/// What the declarations give the shell's completion, `check`'s subset of the run options, and the one list
/// of `--send` escapes.
struct OptionCompletionTests {
    @Test func anEnumeratedOptionCompletesToExactlyItsValuesInTheSyntaxsOrder() {
        #expect(RunOption.close.completion == .words(["client", "server"]))
        #expect(RunOption.close.syntax == "client|server")
        #expect(RunOption.wireProtocol.completion == .words(["tcp", "http"]))
        #expect(RunOption.portBinding.completion == .words(["auto", "range", "bind"]))
        #expect(RunOption.portBinding.syntax == "auto|range|bind")
        #expect(ServeOption.close.completion == .words(["client", "server"]))
        #expect(RunOption.linger.completion == .words(["off", "0"]))
        #expect(RunOption.serverLinger.completion == .words(["off", "0"]))
    }

    @Test func everyCompletedWordIsOneTheOptionAccepts() throws {
        let specs: [OptionSpec<LingerMode>] = [RunOption.linger, RunOption.serverLinger, ServeOption.linger]
        for spec in specs {
            guard case .words(let words) = spec.completion else { continue }
            for w in words { #expect(throws: Never.self, "--\(spec.name) \(w)") { try spec.value(of: w) } }
        }
        for w in ["client", "server"] { #expect(try RunOption.close.value(of: w).rawValue == w) }
    }

    @Test func profilesAndTheCSVCompleteAsFiles() {
        #expect(RunOption.profile.completion == .file(extensions: ["yaml", "yml"]))
        #expect(RunOption.csv.completion == .file(extensions: []))
        #expect(WatchOption.csv.completion == .file(extensions: []))
    }

    @Test func freeValuesOfferNothing() {
        #expect(RunOption.rate.completion == .none)
        #expect(RunOption.target.completion == .none)
        #expect(RunOption.send.completion == .none)
    }

    @Test func checkOffersOnlyWhatAPredictionReadsAndWhereToWriteIt() {
        let names = Set(RunOption.checkTable.map(\.name))
        #expect(
            names == [
                "profile", "target", "rate", "duration", "ramp", "step", "close", "linger", "source-ports",
                "source-addr", "max-open",
                "threads", "port-binding", "hold", "agents", "topology", "nat-addresses", "nat-ports", "nat-spread",
                "summary-json",
            ])
        for runOnly in ["csv", "fail-on", "interval", "protocol", "send", "path", "timeout", "quiet", "progress"] {
            #expect(!names.contains(runOnly), "\(runOnly)")
        }
        // `--agents` (a fleet's size) is check's own; run takes `--agent I/N`; the NAT's options are lab's.
        let all = Set(RunOption.readmeTable.map(\.name))
        #expect(names.subtracting(all) == ["agents", "topology", "nat-addresses", "nat-ports", "nat-spread"])
    }

    @Test func rateIsRequiredUnlessAProfileSuppliesIt() {
        #expect(RunOption.rate.readmeDefault == "required unless a profile sets `rate` or a `schedule`")
        #expect(RunOption.rate.defaultValue.commandLineSuffix == " (required unless a profile sets rate or a schedule)")
    }

    @Test func theSendHelpAndTheErrorQuoteTheSameEscapesTheDecoderKnows() throws {
        #expect(Escapes.list == ["\\r", "\\n", "\\t", "\\0", "\\\\", "\\xHH"])
        #expect(RunOption.send.help.contains("`" + Escapes.list.joined(separator: " ") + "`"))
        #expect(try Escapes.decode("\\r\\n\\t\\0\\\\\\x41") == [13, 10, 9, 0, 92, 65])
        #expect(throws: ConfigError("--send", "unknown escape '\\q' at character 1; use \\r \\n \\t \\0 \\\\ or \\xHH"))
        {
            try Escapes.decode("\\q")
        }
    }
}
