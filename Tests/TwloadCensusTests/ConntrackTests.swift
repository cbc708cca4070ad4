import Testing
import TwloadCensus

/// Reading the lab router's conntrack table: statistics summed over CPUs by name, and the NAT's
/// (address, port) pairs counted from its entries.
@Suite struct ConntrackTests {
    /// The header of kernel 6.18, with two CPUs.
    static let stats = """
        entries  clashres found new invalid ignore delete chainlength insert insert_failed drop early_drop icmp_error  expect_new expect_create expect_delete search_restart
        00000064  00000001 00000010 00000000 00000002 00000000 00000000 00000000 00000000 00000005 00000006 00000000 00000000  00000000 00000000 00000000 00000000
        00000064  00000000 000000f0 00000000 00000000 00000000 00000000 00000000 00000000 000000b8 000000b8 00000001 00000000  00000000 00000000 00000000 00000003

        """

    @Test func statisticsAreSummedOverCPUsAndFoundByName() throws {
        let sums = try #require(ConntrackReading.parseStats(Self.stats))
        let reading = ConntrackReading(count: 100, stats: sums, natPortsInUse: nil)
        #expect(reading.stat("found") == 0x10 + 0xf0)
        #expect(reading.stat("insert_failed") == 5 + 0xb8)
        #expect(reading.stat("drop") == 6 + 0xb8)
        #expect(reading.stat("early_drop") == 1)
        #expect(reading.stat("clashres") == 1)
        #expect(reading.stat("invalid") == 2)
        #expect(reading.stat("search_restart") == 3)
        #expect(sums.count == ConntrackReading.statNames.count)
    }

    @Test func aStatisticThisKernelLacksReadsAsZeroAndABrokenRowAsNoReading() throws {
        let old = "entries found drop\n00000001 00000002 00000003\n"
        let sums = try #require(ConntrackReading.parseStats(old))
        let reading = ConntrackReading(count: 1, stats: sums, natPortsInUse: nil)
        #expect(reading.stat("found") == 2 && reading.stat("drop") == 3 && reading.stat("insert_failed") == 0)
        #expect(ConntrackReading.parseStats("entries found\n00000001\n") == nil)
        #expect(ConntrackReading.parseStats("entries found\n0000000g 00000001\n") == nil)
        #expect(ConntrackReading.parseStats("") == nil)
    }

    @Test func deltasSubtractTheStatisticsAndKeepTheLevels() {
        let names = ConntrackReading.statNames
        let earlier = ConntrackReading(count: 90, stats: names.map { _ in 10 }, natPortsInUse: 80)
        let now = ConntrackReading(count: 100, stats: names.map { $0 == "drop" ? 25 : 10 }, natPortsInUse: 99)
        let delta = now.since(earlier)
        #expect(delta.stat("drop") == 15 && delta.stat("found") == 0)
        #expect(delta.count == 100 && delta.natPortsInUse == 99)
    }

    @Test func natPortsCountDistinctTranslatedSourcesAndSkipUntranslatedEntries() {
        let table = """
            ipv4     2 tcp      6 119 TIME_WAIT src=198.18.0.2 dst=198.18.1.254 sport=33976 dport=8080 src=198.18.1.254 dst=198.18.1.1 sport=8080 dport=40010 [ASSURED] mark=0 zone=0 use=2
            ipv4     2 tcp      6 119 TIME_WAIT src=198.18.0.2 dst=198.18.1.254 sport=33968 dport=8080 src=198.18.1.254 dst=198.18.1.1 sport=8080 dport=40040 [ASSURED] mark=0 zone=0 use=2
            ipv4     2 tcp      6 119 TIME_WAIT src=198.18.0.2 dst=198.18.1.254 sport=33970 dport=8080 src=198.18.1.254 dst=198.18.1.2 sport=8080 dport=40040 [ASSURED] mark=0 zone=0 use=2
            ipv4     2 tcp      6 117 ESTABLISHED src=198.18.0.2 dst=198.18.1.254 sport=33990 dport=8080 src=198.18.1.254 dst=198.18.1.1 sport=8080 dport=40010 [ASSURED] mark=0 zone=0 use=2
            ipv4     2 tcp      6 117 ESTABLISHED src=198.18.0.2 dst=198.18.1.254 sport=33991 dport=8080 src=198.18.1.254 dst=198.18.0.2 sport=8080 dport=33991 [ASSURED] mark=0 zone=0 use=2
            ipv4     2 udp      17 29 src=10.0.0.1 dst=10.0.0.2

            """
        // 198.18.1.1:40010 (twice), 198.18.1.1:40040, 198.18.1.2:40040; the untranslated entry is not counted.
        #expect(ConntrackReading.natPorts(table) == 3)
        #expect(ConntrackReading.natPorts("") == 0)
    }
}
