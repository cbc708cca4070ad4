import ArgumentParser
import TwloadConfig
import TwloadModel

/// The options a lab adds (`LabOption`), shared by `lab` and `find --lab`: one line per declared option.
struct LabOptions: ParsableArguments {
    @Option(LabOption.sysctl) var sysctls: [Given<SysctlSetting>]
    @Option(LabOption.topology) var topology: Given<LabTopology.Kind>?
    @Option(LabOption.natAddresses) var natAddresses: Given<Int>?
    @Option(LabOption.natPorts) var natPorts: Given<PortRange>?
    @Option(LabOption.natSpread) var natSpread: Given<LabTopology.Spread>?
    @Option(LabOption.conntrackTimeWait) var conntrackTimeWait: Given<Int>?
}
