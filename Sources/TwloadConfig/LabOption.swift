import TwloadModel

/// The option `twload lab` adds to the run options, declared once.
public enum LabOption {
    public static let sysctl = OptionSpec<SysctlSetting>(
        "sysctl", syntax: "KEY=VALUE", default: .none, repeatable: true,
        help: "A network sysctl (`net.*`) for the lab's namespace only, applied after `tcp_tw_reuse=0` and the "
            + "profile's `sysctl` entries; repeatable. The host's settings are never written."
    ) { text, option throws(ConfigError) in try SysctlSetting(parsing: text, option: option) }

    /// In the README's order.
    public static let all: [any AnyOptionSpec] = [sysctl]
}
