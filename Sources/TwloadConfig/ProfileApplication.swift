import TwloadModel
import TwloadReport

/// Combines a profile with the command line into a validated run: the profile's `run` options first, then
/// every option given on the command line (which wins), its schedule unless `--rate` or `--duration` was
/// given, and its thresholds plus `--fail-on`. A bad value from the file is reported with file, line and key.
public enum ProfileApplication {
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

    public static func configuration(profile: Profile?, overrides: [String: [String]], failOn: [String],
                                     defaultThreads: Int) throws(Failure) -> RunConfiguration {
        // The file's thresholds are checked first: a profile error points into the file before anything else.
        var profileThresholds: [Threshold] = []
        for t in profile?.thresholds ?? [] {
            do {
                profileThresholds.append(try Threshold(parsing: t.text, knownMetrics: RunMetrics.names,
                                                       option: "thresholds"))
            } catch {
                throw .profile(ProfileError(path: profile!.path, line: t.line, key: "thresholds",
                                            problem: error.problem))
            }
        }
        var text = RunOptionText()
        if let profile {
            for (key, value) in profile.options { text.set(key, value.values) }
            // Check the file's own values first, so their errors point into the file.
            var fileOnly = text
            if fileOnly.rate == nil { fileOnly.rate = "1" }
            do {
                _ = try RunConfiguration(parsing: fileOnly, defaultThreads: defaultThreads)
            } catch {
                let key = String(error.option.drop(while: { $0 == "-" }))
                if profile.options[key] != nil { throw .profile(profile.error(error, key: key)) }
            }
        }
        for (key, values) in overrides { text.set(key, values) }
        if text.rate == nil, let profile, let peak = RateSchedule(profile.schedule)?.peakRate {
            text.rate = String(peak)
        }
        var config: RunConfiguration
        do {
            config = try RunConfiguration(parsing: text, defaultThreads: defaultThreads)
        } catch {
            throw .option(error)
        }
        if let profile, let schedule = RateSchedule(profile.schedule),
           overrides["rate"] == nil, overrides["duration"] == nil {
            config.schedule = schedule
            config.rate = schedule.peakRate
            config.durationNanos = schedule.durationNanos
        }
        config.thresholds = profileThresholds + config.thresholds
        for t in failOn {
            do {
                config.thresholds.append(try Threshold(parsing: t, knownMetrics: RunMetrics.names))
            } catch {
                throw .option(error)
            }
        }
        return config
    }

    /// The profile's sysctls followed by `--sysctl` ones (the profile's were checked when it was read).
    public static func sysctls(profile: Profile?, cli: [String]) throws(Failure) -> [SysctlSetting] {
        var out = (profile?.sysctls ?? []).map { SysctlSetting(key: $0.key, value: $0.value) }
        for s in cli {
            do { out.append(try SysctlSetting(parsing: s)) } catch { throw .option(error) }
        }
        return out
    }
}

extension RateSchedule {
    /// A schedule from a profile's stages; nil when there are none.
    public init?(_ stages: [RateStage]) {
        guard !stages.isEmpty else { return nil }
        self.init(stages: stages.map { stage in
            switch stage {
            case .constant(let rate, let ns): Stage(from: rate, to: rate, seconds: Double(ns) / 1e9)
            case .ramp(let from, let to, let ns): Stage(from: from, to: to, seconds: Double(ns) / 1e9)
            }
        })
    }
}
