import Testing
import TwloadConfig
import TwloadModel

@testable import TwloadRun

/// The commands that build a routed or NAT lab: every address in 198.18.0.0/15, every link made inside a
/// lab namespace with its peer placed in the router's, and the NAT's rule for each spread.
@Suite struct LabNetworkTests {
    @Test func everyLinkIsMadeInsideALabNamespaceWithItsPeerInTheRouters() {
        let client = LabNetwork.clientLinks(peer: "/proc/1/fd/7")
        let server = LabNetwork.serverLinks(peer: "/proc/1/fd/7")
        #expect(client.hasPrefix("link add c0 type veth peer name rc netns /proc/1/fd/7\n"))
        #expect(server.hasPrefix("link add s0 type veth peer name rs netns /proc/1/fd/7\n"))
        #expect(client.contains("route add default via 198.18.0.1\n"))
        #expect(server.contains("addr add 198.18.1.254/24 dev s0\n"))
    }

    @Test func everyAddressIsInTheBenchmarkingRange() {
        let topology = LabTopology(kind: .nat, natAddresses: 3, natPorts: PortRange(low: 40000, high: 40099))
        let text =
            LabNetwork.clientLinks(peer: "p") + LabNetwork.serverLinks(peer: "p") + LabNetwork.routerLinks(topology)
            + LabNetwork.natRuleset(topology)
        var addresses: [String] = []
        for word in text.split(whereSeparator: { " \n{},:".contains($0) }) {
            let parts = word.split(separator: "/")[0].split(separator: ".")
            if parts.count == 4, parts.allSatisfy({ Int($0) != nil }) { addresses.append(String(word)) }
        }
        #expect(!addresses.isEmpty)
        for a in addresses {
            let octets = a.split(separator: "/")[0].split(separator: ".").compactMap { Int($0) }
            #expect(octets[0] == 198 && (octets[1] == 18 || octets[1] == 19), "\(a) is outside 198.18.0.0/15")
        }
    }

    @Test func theRouterOwnsEveryNatAddressOnTheServerSide() {
        let topology = LabTopology(kind: .nat, natAddresses: 3)
        let text = LabNetwork.routerLinks(topology)
        for a in ["198.18.1.1", "198.18.1.2", "198.18.1.3"] { #expect(text.contains("addr add \(a)/24 dev rs\n")) }
        #expect(text.contains("addr add 198.18.0.1/24 dev rc\n"))
    }

    @Test func theNatRuleUsesLinuxsHashOrRoundRobinOverItsAddresses() {
        var topology = LabTopology(kind: .nat, natAddresses: 2, natPorts: PortRange(low: 40000, high: 40099))
        #expect(LabNetwork.natRuleset(topology).contains("snat ip to 198.18.1.1-198.18.1.2:40000-40099\n"))
        topology.natSpread = .roundRobin
        #expect(
            LabNetwork.natRuleset(topology).contains(
                "snat ip to numgen inc mod 2 map { 0 : 198.18.1.1, 1 : 198.18.1.2 } :40000-40099\n"))
        #expect(topology.natTuples == 200)
        topology.natSpread = .hash
        #expect(topology.natTuples == 100, "one client → one server uses one address under the hash")
        let single = LabTopology(kind: .nat)
        #expect(LabNetwork.natRuleset(single).contains("snat ip to 198.18.1.1\n"))
        #expect(single.natTuples == nil)
    }
}
