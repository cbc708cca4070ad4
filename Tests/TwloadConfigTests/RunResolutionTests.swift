import Testing
import TwloadConfig
import TwloadModel
import TwloadTestSupport

/// How a profile and the command line combine into one run.
struct RunResolutionTests {
    static let stages = "schedule:\n  - rate: 100\n    for: 2s\n  - ramp: [100, 300]\n    for: 1s\n"

    func profile(_ yaml: String) throws -> Profile {
        try Profile.parse(yaml: "title: t\n" + yaml, path: "p.yaml")
    }

    func resolve(_ cli: [String: [String]], _ profile: Profile?) throws(RunResolution.Failure) -> RunConfiguration {
        try RunResolution.configuration(commandLine: OptionValues(texts: cli), profile: profile, defaultThreads: 2)
    }

    @Test func theProfileScheduleIsTheRunsOneSourceOfRateAndDuration() throws {
        let c = try resolve([:], try profile(Self.stages))
        #expect(c.schedule.stages.count == 2)
        #expect(c.schedule.peakRate == 300)
        #expect(c.schedule.durationNanos == 3_000_000_000)
    }

    @Test func aDurationOnTheCommandLineRunsTheSchedulesPeakForThatLong() throws {
        let c = try resolve(["duration": ["5s"]], try profile(Self.stages))
        #expect(c.schedule.constantRate == 300)
        #expect(c.schedule.durationNanos == 5_000_000_000)
    }

    @Test func aRateOnTheCommandLineReplacesTheScheduleForTheDefaultDuration() throws {
        let c = try resolve(["rate": ["50"]], try profile(Self.stages))
        #expect(c.schedule.constantRate == 50)
        #expect(c.schedule.durationNanos == 30_000_000_000)
    }

    @Test func withoutAScheduleTheRateIsRequired() throws {
        #expect(throws: RunResolution.Failure.self) { try resolve([:], try profile("run:\n  duration: 2s\n")) }
        let c = try resolve([:], try profile("run:\n  rate: 20\n"))
        #expect(c.schedule.constantRate == 20)
        #expect(c.schedule.durationNanos == 30_000_000_000)
    }

    @Test func theCommandLineWinsOverTheProfile() throws {
        let c = try resolve(["close": ["client"]], try profile("run:\n  rate: 20\n  close: server\n  linger: 0\n"))
        #expect(c.close == .client)
        #expect(c.linger == .reset)
    }

    @Test func aBadProfileValueIsReportedAtItsLineEvenWhenTheCommandLineReplacesIt() throws {
        let p = try profile("run:\n  rate: 0\n")
        do {
            _ = try resolve(["rate": ["5"]], p)
            Issue.record("accepted rate 0 from the profile")
        } catch {
            #expect("\(error)" == "p.yaml:3: run.rate: must be greater than 0 (got '0')")
        }
    }

    @Test func optionsThatDoNotFitTogetherInTheFilePointAtTheKey() throws {
        let p = try profile("run:\n  rate: 1\n  threads: 2\n  source-ports: 40000-40000\n  port-binding: bind\n")
        do {
            _ = try resolve([:], p)
            Issue.record("accepted one port for two threads")
        } catch {
            #expect(
                "\(error)" == "p.yaml:5: run.source-ports: needs at least one port per thread with --port-binding bind")
        }
    }

    @Test func profileAndCommandLineSysctlsAreAppliedInThatOrder() throws {
        let p = try profile("sysctl:\n  net.ipv4.tcp_tw_reuse: 1\n")
        let cli = [try SysctlSetting(parsing: "net.ipv4.ip_local_port_range=40000 40099")]
        #expect(
            RunResolution.sysctls(profile: p, commandLine: cli).map(\.origin) == [
                "p.yaml:3: sysctl.net.ipv4.tcp_tw_reuse", "--sysctl net.ipv4.ip_local_port_range",
            ])
    }

    @Test(arguments: ["kernel.pid_max", "net", "net.", "net..x", "net.ipv4.conf.veth-a.rp_filter", "net/ipv4/x"])
    func profileAndCommandLineRejectTheSameSysctlNames(name: String) {
        #expect(!SysctlSetting.isNetworkName(name))
        #expect(throws: ConfigError.self) { try SysctlSetting(parsing: "\(name)=1") }
    }
}
