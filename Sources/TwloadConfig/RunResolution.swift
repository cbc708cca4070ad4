import TwloadModel
import TwloadReport

/// Combines a profile with the command line into a validated run.
///
/// The profile is checked first, so that its errors point into the file (file, line and key): its
/// thresholds, each `run` value, then how its values fit together. Then every option given on the command
/// line replaces the profile's. The profile's schedule applies unless `--rate` or `--duration` was given;
/// without one, the rate is `--rate` (or the profile's `rate`, or its schedule's peak) for `--duration`.
public enum RunResolution {
    /// Either kind of input error; both exit 64.
    public enum Failure: Error, Sendable, CustomStringConvertible {
        case profile(ProfileError)
        case option(ConfigError)

        public var description: String {
            switch self {
            case .profile(let e): "\(e)"
            case .option(let e): "\(e)"
            }
        }
    }

    public static func configuration(
        commandLine: OptionValues, profile: Profile?, defaultThreads: Int
    )
        throws(Failure) -> RunConfiguration
    {
        var fileValues = OptionValues()
        var thresholds: [Threshold] = []
        if let profile {
            thresholds = try profileThresholds(profile)
            fileValues = try profileValues(profile, defaultThreads: defaultThreads)
        }
        let values = fileValues.overridden(by: commandLine)
        do throws(ConfigError) {
            try commandLine.checkValid(in: RunOption.readmeTable)
            let schedule = try RunConfiguration.schedule(
                values, stages: profile?.schedule ?? [], commandLine: commandLine)
            return try RunConfiguration(
                values, schedule: schedule, thresholds: thresholds + values.list(RunOption.failOn),
                defaultThreads: defaultThreads)
        } catch {
            throw .option(error)
        }
    }

    /// The profile's thresholds, each error at its line.
    static func profileThresholds(_ profile: Profile) throws(Failure) -> [Threshold] {
        var thresholds: [Threshold] = []
        for t in profile.thresholds {
            do {
                thresholds.append(
                    try Threshold(parsing: t.text, knownMetrics: MetricTable.runMetricNames, option: "thresholds"))
            } catch {
                throw .profile(
                    ProfileError(path: profile.path, line: t.line, key: "thresholds", problem: error.problem))
            }
        }
        return thresholds
    }

    /// The profile's `run` values, each parsed by its option's declaration; an error is at its key's line.
    /// The values must also fit together on their own (an error naming an option the file sets points at it).
    static func profileValues(_ profile: Profile, defaultThreads: Int) throws(Failure) -> OptionValues {
        var values = OptionValues()
        for spec in RunOption.all {
            guard let given = profile.options[spec.name] else { continue }
            do {
                try spec.parse(given.values, into: &values, option: "--" + spec.name)
            } catch {
                throw .profile(profile.error(error, key: spec.name))
            }
        }
        do {
            try RunConfiguration.checkCombination(values, defaultThreads: defaultThreads)
        } catch {
            let key = String(error.option.drop(while: { $0 == "-" }))
            if profile.options[key] != nil { throw .profile(profile.error(error, key: key)) }
        }
        return values
    }

    /// The profile's sysctls followed by `--sysctl` ones (both were checked when they were read), each with
    /// where it came from, for the error if the kernel still refuses it.
    public static func sysctls(profile: Profile?, commandLine: [SysctlSetting]) -> [LabSysctl] {
        let fromFile = (profile?.sysctls ?? []).map { s in
            LabSysctl(
                s.setting,
                origin: "\(profile?.path ?? ""):\(s.line): sysctl.\(s.setting.role.map { "\($0.rawValue)." } ?? "")"
                    + s.setting.key)
        }
        return fromFile
            + commandLine.map { LabSysctl($0, origin: "--sysctl \($0.role.map { "\($0.rawValue):" } ?? "")\($0.key)") }
    }

    /// The lab's topology: the profile's `lab` section (each value parsed by its option's declaration, an
    /// error at its line), then the command line's options over it, then checked as a whole.
    public static func topology(profile: Profile?, commandLine: OptionValues) throws(Failure) -> LabTopology {
        var fileValues = OptionValues()
        for spec in LabOption.topologyOptions {
            guard let profile, let given = profile.labOptions[spec.name] else { continue }
            do {
                try spec.parse(given.values, into: &fileValues, option: "--" + spec.name)
            } catch {
                throw .profile(
                    ProfileError(path: profile.path, line: given.line, key: "lab.\(spec.name)", problem: error.problem))
            }
        }
        do {
            return try LabOption.topology(fileValues.overridden(by: commandLine))
        } catch {
            let key = String(error.option.drop(while: { $0 == "-" }))
            if let profile, let given = profile.labOptions[key], !commandLine.contains(key) {
                throw .profile(
                    ProfileError(path: profile.path, line: given.line, key: "lab.\(key)", problem: error.problem))
            }
            throw .option(error)
        }
    }
}
