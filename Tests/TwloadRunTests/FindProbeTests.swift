import Foundation
import Testing
import TwloadCensus
import TwloadConfig
import TwloadModel
import TwloadSystem
import TwloadTestSupport

@testable import TwloadRun

/// `twload find`'s probes do not poison each other: each starts with a clean port budget, after a wait for
/// the previous probe's TIME_WAIT in this host's namespace, or in a fresh namespace under `--lab`.
@Suite(.serialized) struct FindProbeTests {
    static let skipReason: String? = geteuid() == 0 ? nil : "needs root to create a network namespace (CI is root)"

    /// A scratch CSV for the probes' rows.
    func scratchCSV() throws -> OutputFile {
        try OutputFile(
            creating: FileManager.default.temporaryDirectory.appendingPathComponent("find-\(UUID().uuidString).csv")
                .path)
    }

    /// Probes of client close on 100 source ports with one thread, judged by what the port budget decides (no
    /// failure, every attempt established): the suite runs beside others, so a stall of a few ms under load
    /// must not fail a probe here on loop lag.
    func prober(lab: LabSetup?, csv: borrowing OutputFile) throws -> Prober<NoteCollector> {
        let config = try RunConfiguration(
            OptionValues(texts: [
                "rate": ["1"], "close": ["client"], "source-ports": ["40000-40099"], "threads": ["1"],
            ]), defaultThreads: 1)
        let find = try FindOption.configuration(
            OptionValues(
                texts: ["criteria": ["failed == 0", "established >= 0.99 * target"]], table: FindOption.all))
        return Prober(
            base: config, find: find, lab: lab, csvDescriptor: csv.fd, reporter: ProbeReporter(NoteCollector()),
            baselineTimeWait: lab == nil ? SockStat.read()?.timeWait : nil)
    }

    @Test func aProbeThatRanOutOfPortsIsFollowedByOneAtHalfTheRateThatHolds() throws {
        if let reason = Self.skipReason { return print("FindProbeTests skipped: \(reason)") }
        let home = try NamespaceHandle.current()
        let lab = try NamespaceHandle.create()
        try lab.enter()
        defer { try? home.enter() }
        try NetworkNamespace.setSysctl("net.ipv4.tcp_tw_reuse", "0")
        let csv = try scratchCSV()
        var prober = try prober(lab: nil, csv: csv)
        let notes = NoteCollector()
        // 150 attempts on 100 ports: the last third fails with EADDRNOTAVAIL.
        let first = try #require(try prober.run(rate: 100, nanos: 1_500_000_000, role: .search, notes: notes))
        #expect(!first.held)
        #expect(first.bound == .hostPorts, "\(first.evidence ?? "")")
        #expect(first.run.totals.counters.eaddrnotavail >= 40)
        // Half the rate needs 75 ports: it holds because the search waited for the 100 to leave TIME_WAIT.
        let second = try #require(try prober.run(rate: 50, nanos: 1_500_000_000, role: .search, notes: notes))
        #expect(second.held, "\(second.failedCriteria)")
        #expect(second.run.totals.counters.eaddrnotavail == 0)
        #expect((50...67).contains(second.waitedSeconds), "waited \(second.waitedSeconds) s")
        #expect(notes.notes.contains { $0.hasPrefix("find: waiting for ") && $0.contains("TIME_WAIT sockets") })
    }

    @Test func underTheLabEachProbeStartsInAFreshNamespaceWithoutWaiting() throws {
        if let reason = Self.skipReason { return print("FindProbeTests skipped: \(reason)") }
        let home = try NamespaceHandle.current()
        defer { try? home.enter() }
        let csv = try scratchCSV()
        var prober = try prober(lab: LabSetup(sysctls: [], topology: LabTopology()), csv: csv)
        let first = try #require(try prober.run(rate: 100, nanos: 1_500_000_000, role: .search, notes: NoteCollector()))
        #expect(!first.held && first.bound == .hostPorts)
        let second = try #require(try prober.run(rate: 50, nanos: 1_500_000_000, role: .search, notes: NoteCollector()))
        #expect(second.held, "\(second.failedCriteria)")
        #expect(second.waitedSeconds == 0)
    }
}
