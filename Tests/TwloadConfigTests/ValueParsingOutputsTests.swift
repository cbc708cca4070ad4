import Testing
import TwloadModel
import TwloadTestSupport

@testable import TwloadConfig

/// The parsers of ValueParsing+Outputs.swift: status sets, output files and agent slots.
@Suite struct ValueParsingOutputsTests {
    @Test func codesAndRangesAreParsedAndChecked() throws {
        let set = try ValueParsing.statusSet("200,204,300-399", option: "--expect-status")
        #expect(set.description == "200,204,300-399")
        for code: UInt16 in [200, 204, 300, 350, 399] { #expect(set.contains(code), "\(code)") }
        for code: UInt16 in [0, 199, 201, 203, 400, 503, 1023] { #expect(!set.contains(code), "\(code)") }
    }

    @Test func theDefaultExpectsEvery2xxAnd3xx() throws {
        let d = try #require(RunOption.expectStatus.fixedDefault)
        #expect(d == StatusSet.successOrRedirect)
        #expect(d.contains(200) && d.contains(399) && !d.contains(400) && !d.contains(101))
    }

    @Test(arguments: ["", "abc", "2xx", "99", "1000", "200,", "200-", "-300", "200-300-400", "200,,204"])
    func badCodesAreRejectedNamingTheOption(text: String) {
        let e = #expect(throws: ConfigError.self) { try ValueParsing.statusSet(text, option: "--expect-status") }
        #expect(e?.option == "--expect-status")
        #expect(e.map { "\($0)".contains("'\(text)'") } == true)
    }

    @Test func aDownwardRangeIsRejected() {
        let e = #expect(throws: ConfigError.self) { try ValueParsing.statusSet("399-300", option: "--expect-status") }
        #expect(e.map { "\($0)".contains("goes downward") } == true)
    }

    @Test func expectStatusNeedsHTTP() throws {
        let e = #expect(throws: ConfigError.self) {
            try RunConfiguration(
                OptionValues(texts: ["rate": ["10"], "expect-status": ["503"]]), defaultThreads: 1)
        }
        #expect(e?.option == "--expect-status")
        let http = try RunConfiguration(
            OptionValues(texts: ["rate": ["10"], "expect-status": ["503"], "protocol": ["http"]]), defaultThreads: 1)
        #expect(http.expectedStatus.description == "503")
    }

    @Test func anAgentIsIOfNCountingFromZero() throws {
        #expect(try ValueParsing.agent("0/4", option: "--agent") == AgentSlot(index: 0, count: 4))
        #expect(try ValueParsing.agent(" 3/4 ", option: "--agent") == AgentSlot(index: 3, count: 4))
        #expect(RunOption.agent.fixedDefault == AgentSlot.alone)
        for bad in ["4/4", "-1/4", "0/0", "1", "a/b", "1/2/3", "", "0/10001"] {
            let e = #expect(throws: ConfigError.self) { try ValueParsing.agent(bad, option: "--agent") }
            #expect(e.map { "\($0)".contains("'\(bad)'") } == true, "\(bad)")
        }
    }
}
