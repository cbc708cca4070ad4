import Testing
import TwloadConfig
import TwloadModel

/// The lab's topology options, from a profile's `lab` section and the command line, and sysctls limited to
/// one namespace.
@Suite struct LabTopologyTests {
    func values(_ pairs: [(any AnyOptionSpec, String)]) throws -> OptionValues {
        var v = OptionValues()
        for (spec, text) in pairs { try spec.parse([text], into: &v, option: "--" + spec.name) }
        return v
    }

    @Test func aProfilesLabSectionSetsTheTopologyAndTheCommandLineOverridesIt() throws {
        let profile = try Profile.parse(
            yaml: """
                title: t
                lab:
                  topology: nat
                  nat-addresses: 2
                  nat-ports: 40000-40099
                  nat-spread: round-robin
                  conntrack-time-wait: 30s
                """, path: "p.yaml")
        let fromFile = try RunResolution.topology(profile: profile, commandLine: OptionValues())
        #expect(fromFile.kind == .nat && fromFile.natAddresses == 2 && fromFile.conntrackTimeWaitSeconds == 30)
        #expect(fromFile.natPorts == PortRange(low: 40000, high: 40099))
        #expect(fromFile.natTuples == 200)
        #expect(fromFile.natAddressList == ["198.18.1.1", "198.18.1.2"])
        let overridden = try RunResolution.topology(
            profile: profile, commandLine: try values([(LabOption.natAddresses, "4")]))
        #expect(overridden.natAddresses == 4 && overridden.natTuples == 400)
        // Linux's hash keeps one client talking to one server on one address: more addresses add no tuples.
        let hashed = try RunResolution.topology(
            profile: profile, commandLine: try values([(LabOption.natSpread, "hash")]))
        #expect(hashed.natTuples == 100 && hashed.natAddressesPerPair == 1)
    }

    @Test func withoutALabSectionTheTopologyIsLoopback() throws {
        let t = try RunResolution.topology(profile: nil, commandLine: OptionValues())
        #expect(t == LabTopology())
        #expect(t.kind == .loopback)
    }

    @Test func natSettingsWithoutTheNatTopologyAreRefusedAtTheirLine() throws {
        let profile = try Profile.parse(
            yaml: "title: t\nlab:\n  topology: routed\n  nat-ports: 40000-40099\n", path: "p.yaml")
        #expect {
            try RunResolution.topology(profile: profile, commandLine: OptionValues())
        } throws: { error in
            "\(error)".hasPrefix("p.yaml:4: lab.nat-ports: sets the router's NAT") && "\(error)".contains("routed")
        }
        #expect {
            try RunResolution.topology(profile: nil, commandLine: try values([(LabOption.conntrackTimeWait, "30s")]))
        } throws: { error in
            "\(error)".hasPrefix("--conntrack-time-wait: ") && "\(error)".contains("routed or nat")
        }
    }

    @Test func badTopologyValuesNameTheirOption() {
        #expect(throws: ConfigError.self) { try LabOption.topology.value(of: "bridge") }
        #expect(throws: ConfigError.self) { try LabOption.natAddresses.value(of: "0") }
        #expect(throws: ConfigError.self) { try LabOption.natAddresses.value(of: "201") }
        #expect(throws: ConfigError.self) { try LabOption.conntrackTimeWait.value(of: "1500ms") }
        #expect((try? LabOption.conntrackTimeWait.value(of: "2m")) == 120)
        #expect {
            _ = try Profile.parse(yaml: "title: t\nlab:\n  topology: star\n", path: "p.yaml")
            _ = try RunResolution.topology(
                profile: try Profile.parse(yaml: "title: t\nlab:\n  topology: star\n", path: "p.yaml"),
                commandLine: OptionValues())
        } throws: { error in "\(error)".hasPrefix("p.yaml:3: lab.topology: expected loopback|routed|nat") }
        #expect {
            _ = try Profile.parse(yaml: "title: t\nlab:\n  routers: 2\n", path: "p.yaml")
        } throws: { error in "\(error)".hasPrefix("p.yaml:3: lab") }
    }

    @Test func aSysctlCanBeLimitedToOneNamespace() throws {
        let s = try SysctlSetting(parsing: "router:net.ipv4.tcp_tw_reuse=1")
        #expect(s.role == .router && s.key == "net.ipv4.tcp_tw_reuse" && s.value == "1")
        #expect(try SysctlSetting(parsing: "net.ipv4.tcp_tw_reuse=1").role == nil)
        #expect {
            try SysctlSetting(parsing: "switch:net.ipv4.tcp_tw_reuse=1")
        } throws: { error in "\(error)".contains("'switch:' names no lab namespace") }
        let profile = try Profile.parse(
            yaml: """
                title: t
                sysctl:
                  net.ipv4.tcp_tw_reuse: 0
                  client:
                    net.ipv4.tcp_timestamps: 0
                  server:
                    net.ipv4.tcp_tw_reuse: 1
                """, path: "p.yaml")
        #expect(profile.sysctls.map(\.setting.role) == [nil, .client, .server])
        let lab = RunResolution.sysctls(profile: profile, commandLine: [s])
        #expect(
            lab.map(\.origin) == [
                "p.yaml:3: sysctl.net.ipv4.tcp_tw_reuse", "p.yaml:5: sysctl.client.net.ipv4.tcp_timestamps",
                "p.yaml:7: sysctl.server.net.ipv4.tcp_tw_reuse", "--sysctl router:net.ipv4.tcp_tw_reuse",
            ])
    }
}
