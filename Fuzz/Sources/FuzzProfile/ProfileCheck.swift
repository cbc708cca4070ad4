import FuzzSupport
import TwloadConfig
import TwloadModel
import TwloadReport

/// Takes a profile the way `twload run --profile` does: reads it, resolves it into a `RunConfiguration`
/// (alone, and under a command line that gives `--duration`, which turns a schedule into its peak rate),
/// then builds and queries what a run builds from it (`ScheduleCheck`). Every error is one line; what
/// is accepted is within the documented limits.
enum ProfileCheck {
    static let path = "fuzz.yaml"
    static let threads = 2

    static func run(yaml: String) {
        let profile: Profile
        do {
            profile = try Profile.parse(yaml: yaml, path: path)
        } catch {
            fuzzCheck(
                error.description.isOneLine, "profile error is not one line: \(error.description.debugDescription)")
            fuzzCheck(error.path == path, "profile error names \(error.path), not \(path)")
            fuzzCheck(error.line.map { $0 >= 1 } ?? true, "profile error at line \(error.line ?? 0): \(error)")
            return
        }
        checkAccepted(profile)
        let safe = withoutHostNames(profile)

        var durationGiven = OptionValues()
        durationGiven.set(RunOption.duration, [1_000_000_000])
        for commandLine in [OptionValues(), durationGiven] {
            let config: RunConfiguration
            do {
                config = try RunResolution.configuration(
                    commandLine: commandLine, profile: safe, defaultThreads: threads)
            } catch {
                fuzzCheck(
                    error.description.isOneLine, "run error is not one line: \(error.description.debugDescription)")
                continue
            }
            fuzzCheck(config.threads >= 1 && config.threads <= 256, "\(config.threads) threads")
            RequestCheck.run(config)
            ScheduleCheck.run(config.schedule, threads: config.threads)
            for threshold in config.thresholds {
                let values = Dictionary(uniqueKeysWithValues: threshold.metrics.map { ($0, 1.0) })
                let outcome = threshold.evaluate(values)
                fuzzCheck(outcome.verdict != .unknown && outcome.line.isOneLine, "threshold verdict \(outcome)")
            }
        }
    }

    /// What a profile that reads without error promises: a one-line title, known `run` keys, stages within
    /// the rate and duration limits, and a schedule that is the only source of the rate and duration.
    static func checkAccepted(_ profile: Profile) {
        fuzzCheck(!profile.title.isEmpty && profile.title.isOneLine, "title \(profile.title.debugDescription)")
        let known = Set(RunOption.all.map(\.name))
        fuzzCheck(Set(profile.options.keys).isSubset(of: known), "run keys \(profile.options.keys.sorted())")
        for (name, value) in profile.options {
            fuzzCheck(!value.values.isEmpty && value.line >= 1, "run.\(name) is \(value)")
        }
        fuzzCheck(
            (profile.scheduleLine != nil) == !profile.schedule.isEmpty, "schedule line \(profile.scheduleLine ?? 0)")
        var total = 0.0
        for stage in profile.schedule {
            fuzzCheck(
                stage.from > 0 && stage.from <= 10_000_000 && stage.to > 0 && stage.to <= 10_000_000,
                "stage rate \(stage.from) to \(stage.to)")
            fuzzCheck(
                stage.seconds >= 0.001 && stage.seconds <= RateSchedule.maximumSeconds, "stage of \(stage.seconds) s")
            total += stage.seconds
        }
        fuzzCheck(total <= RateSchedule.maximumSeconds, "schedule of \(total) s")
        if !profile.schedule.isEmpty {
            fuzzCheck(
                profile.options[RunOption.rate.name] == nil && profile.options[RunOption.duration.name] == nil,
                "a run rate or duration beside a schedule was accepted")
        }
        for threshold in profile.thresholds {
            fuzzCheck(!threshold.text.isEmpty && threshold.line >= 1, "threshold \(threshold)")
        }
    }

    /// The profile without a `target` whose host is a name: resolving it would ask DNS. A literal address
    /// (127.0.0.1:8080, [::1]:80) stays, and so does text that is no endpoint at all (it fails unresolved).
    static func withoutHostNames(_ profile: Profile) -> Profile {
        guard let target = profile.options[RunOption.target.name],
            target.values.contains(where: { !LiteralAddress.isLiteral(endpoint: $0) && isEndpoint($0) })
        else { return profile }
        var options = profile.options
        options[RunOption.target.name] = nil
        return Profile(
            path: profile.path, title: profile.title, description: profile.description, options: options,
            schedule: profile.schedule, scheduleLine: profile.scheduleLine, sysctls: profile.sysctls,
            thresholds: profile.thresholds)
    }

    private static func isEndpoint(_ text: String) -> Bool {
        (try? ValueParsing.endpoint(text, option: "--target", allowZeroPort: true)) != nil
    }
}
