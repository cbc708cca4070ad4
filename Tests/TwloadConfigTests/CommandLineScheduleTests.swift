import Testing
import TwloadConfig
import TwloadModel
import TwloadTestSupport

/// Schedules on the command line (issue 18): `--rate A..B --ramp D` and `--rate A,B,… --step D`, the same
/// schedules a profile's `schedule` gives, and the combinations that cannot mean anything.
struct CommandLineScheduleTests {
    func resolve(_ cli: [String: [String]], _ yaml: String? = nil) throws(RunResolution.Failure) -> RunConfiguration {
        let profile = yaml.flatMap { try? Profile.parse(yaml: "title: t\n" + $0, path: "p.yaml") }
        return try RunResolution.configuration(
            commandLine: OptionValues(texts: cli), profile: profile, defaultThreads: 2)
    }

    func problem(_ cli: [String: [String]]) -> String {
        do {
            _ = try resolve(cli)
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test func rateTextIsOneRateARangeOrStages() throws {
        #expect(try ValueParsing.rateSpec("2k") == .constant(2000))
        #expect(try ValueParsing.rateSpec("1000..20k") == .ramp(from: 1000, to: 20000))
        #expect(try ValueParsing.rateSpec("5000..1000") == .ramp(from: 5000, to: 1000))
        #expect(try ValueParsing.rateSpec("1000,2000,4k") == .steps([1000, 2000, 4000]))
        #expect(RateSpec.steps([1000, 4000, 2000]).peak == 4000)
        for bad in ["1000..", "..2000", "1000,,2000", "1000,", "a..b", "1000..0", "1,2..3"] {
            #expect(throws: ConfigError.self, "\(bad)") { try ValueParsing.rateSpec(bad) }
        }
    }

    @Test func aRangeWithRampIsOneLinearStageThatSetsTheDuration() throws {
        let c = try resolve(["rate": ["1000..5000"], "ramp": ["10s"]])
        #expect(c.schedule.stages == [RateSchedule.Stage(from: 1000, to: 5000, seconds: 10)])
        #expect(c.schedule.durationNanos == 10_000_000_000)
        #expect(c.schedule.peakRate == 5000)
        // The same schedule a profile writes as `- ramp: [1000, 5000]` for 10 s.
        let fromProfile = try resolve([:], "schedule:\n  - ramp: [1000, 5000]\n    for: 10s\n")
        #expect(fromProfile.schedule.stages == c.schedule.stages)
    }

    @Test func stagesWithStepAreFlatStagesOfThatLengthEach() throws {
        let c = try resolve(["rate": ["1000,2000"], "step": ["3s"]])
        #expect(
            c.schedule.stages == [
                RateSchedule.Stage(from: 1000, to: 1000, seconds: 3),
                RateSchedule.Stage(from: 2000, to: 2000, seconds: 3),
            ])
        #expect(c.schedule.durationNanos == 6_000_000_000)
    }

    @Test func aScheduleThatCannotMeanAnythingIsAUsageErrorNamingTheOption() {
        #expect(problem(["rate": ["1000..2000"]]).hasPrefix("--rate: a range 1000..2000 needs --ramp D"))
        #expect(problem(["rate": ["1000,2000"]]).hasPrefix("--rate: stages 1000,2000 need --step D"))
        #expect(problem(["rate": ["1000"], "ramp": ["5s"]]).hasPrefix("--ramp: needs a rate range"))
        #expect(problem(["rate": ["1000"], "step": ["5s"]]).hasPrefix("--step: needs rates to step through"))
        #expect(problem(["rate": ["1000..2000"], "step": ["5s"]]).hasPrefix("--step: applies to --rate A,B"))
        #expect(problem(["rate": ["1000,2000"], "ramp": ["5s"]]).hasPrefix("--ramp: applies to --rate A..B"))
        #expect(
            problem(["rate": ["1000..2000"], "ramp": ["5s"], "duration": ["5s"]])
                == "--duration: conflicts with --ramp, which sets the duration; remove one of them")
        #expect(
            problem(["rate": ["1,2"], "step": ["5s"], "duration": ["5s"]])
                == "--duration: conflicts with --step, which sets the duration; remove one of them")
    }

    @Test func aRampOnTheCommandLineWithAProfileScheduleIsNotIgnored() {
        let yaml = "schedule:\n  - rate: 100\n    for: 2s\n"
        do {
            _ = try resolve(["ramp": ["5s"]], yaml)
            Issue.record("a --ramp without a range was accepted")
        } catch {
            #expect("\(error)".hasPrefix("--ramp: needs a rate range"))
        }
    }
}
