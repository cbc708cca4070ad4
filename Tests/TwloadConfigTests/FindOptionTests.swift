import Testing
import TwloadConfig
import TwloadModel
import TwloadTestSupport

/// `twload find`'s options: the defaults, the run options a search sets itself, and the bad values.
struct FindOptionTests {
    func find(_ cli: [String: [String]]) throws(ConfigError) -> FindConfiguration {
        try FindOption.configuration(OptionValues(texts: cli, table: RunOption.readmeTable + FindOption.all))
    }

    func problem(_ cli: [String: [String]]) -> String {
        do {
            _ = try find(cli)
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test func theDefaultsProbeTenSecondsFromTenPerSecondToFivePercentWithTheFiveCriteria() throws {
        let f = try find([:])
        #expect(f.criteria.map(\.text) == FindOption.defaultCriteria)
        #expect(
            FindOption.defaultCriteria == [
                "failed == 0", "missed == 0", "established >= 0.99 * target", "lag_p99_us < 10000",
                "connect_p99_us < 10000",
            ])
        #expect(f.dwellNanos == 10_000_000_000)
        #expect(f.minimumRate == 10 && f.maximumRate == 1_000_000)
        #expect(f.resolution == 0.05)
        #expect(f.confirmNanos == nil)
    }

    @Test func givenCriteriaReplaceTheDefaultSet() throws {
        let f = try find([
            "criteria": ["eaddrnotavail == 0"], "dwell": ["5s"], "resolution": ["2%"], "confirm": ["90s"],
        ])
        #expect(f.criteria.map(\.text) == ["eaddrnotavail == 0"])
        #expect(f.dwellNanos == 5_000_000_000)
        #expect(f.resolution == 0.02)
        #expect(f.confirmNanos == 90_000_000_000)
    }

    @Test func theRunOptionsASearchSetsItselfAreRefusedWithWhatToGiveInstead() {
        #expect(
            problem(["rate": ["1000"]])
                == "--rate: does not apply to find: find chooses each probe's rate; give --min and --max")
        #expect(
            problem(["duration": ["30s"]]) == "--duration: does not apply to find: find holds each probe for --dwell")
        #expect(
            problem(["fail-on": ["failed == 0"]])
                == "--fail-on: does not apply to find: find judges each probe by --criteria")
        #expect(problem(["out": ["dir"]]).hasPrefix("--out: does not apply to find"))
    }

    @Test func badValuesNameTheirOption() {
        #expect(problem(["min": ["100"], "max": ["50"]]) == "--min: must be below --max (got 100 and 50)")
        #expect(problem(["resolution": ["0"]]) == "--resolution: expected a percentage from 0.1% to 50% (got '0')")
        #expect(problem(["resolution": ["60%"]]).hasPrefix("--resolution: expected a percentage"))
        #expect(problem(["dwell": ["500ms"]]) == "--dwell: must be at least 1s (got '500ms')")
        #expect(problem(["criteria": ["nonsense > 1"]]).hasPrefix("--criteria: "))
        #expect(problem(["max": ["-5"]]) == "--max: must be greater than 0 (got '-5')")
    }
}
