import Testing
import TwloadModel

/// The names of an agent's files, which `run --out` writes and `merge` reads back.
struct AgentFilesTests {
    @Test func everyNameAnAgentWritesReadsBackAsItsAgentAndKind() {
        for kind in [AgentFiles.Kind.csv, .json, .hlog("connect"), .hlog("first_byte")] {
            let path = AgentFiles.path(in: "/out", agent: 12, kind)
            let name = String(path.dropFirst("/out/".count))
            #expect(AgentFiles.parse(name)?.index == 12, "\(name)")
            #expect(AgentFiles.parse(name)?.kind == kind, "\(name)")
        }
        #expect(AgentFiles.path(in: "d", agent: 3, .hlog("lag")) == "d/agent-3.lag.hlog")
    }

    @Test(arguments: [
        "agent-.csv", "agent-1", "agent-1.txt", "agent-x.csv", "agent-1234567.csv", "agent-1..hlog", "agent-1.hlog",
        "merged.csv", "agent-1csv",
    ])
    func otherNamesAreNotAnAgentsFiles(name: String) {
        #expect(AgentFiles.parse(name) == nil)
    }
}
