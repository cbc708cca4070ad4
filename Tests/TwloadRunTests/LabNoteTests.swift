import Testing
import TwloadConfig

@testable import TwloadRun

/// The lab's note on its namespace names each sysctl once, with the value the kernel holds.
struct LabNoteTests {
    @Test func aProfileThatRepeatsTheDefaultListsTheSettingOnce() {
        // The probe: "net.ipv4.tcp_tw_reuse=0, net.ipv4.tcp_tw_reuse=0" (the default, then the profile's).
        let note = LabRun.namespaceNote(
            kind: .privileged,
            applied: LabRun.defaultSysctls + [SysctlSetting(key: "net.ipv4.tcp_tw_reuse", value: "0")])
        #expect(
            note
                == "lab: private network namespace with lo up; net.ipv4.tcp_tw_reuse=0 "
                + "(tcp_tw_reuse=0 makes loopback behave like a real network path)")
    }

    @Test func aSettingChangedLaterShowsItsLastValueWithoutTheDefaultsReason() {
        let note = LabRun.namespaceNote(
            kind: .userNamespace,
            applied: LabRun.defaultSysctls + [
                SysctlSetting(key: "net.ipv4.ip_local_port_range", value: "40000 40499"),
                SysctlSetting(key: "net.ipv4.tcp_tw_reuse", value: "1"),
            ])
        #expect(
            note
                == "lab: private network namespace (inside an unprivileged user namespace) with lo up; "
                + "net.ipv4.tcp_tw_reuse=1, net.ipv4.ip_local_port_range=40000 40499")
    }
}
