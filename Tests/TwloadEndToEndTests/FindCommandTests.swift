import Foundation
import Testing

/// `twload find`'s bad input: one line naming the culprit, exit status 64, before any load.
@Suite struct FindCommandTests {
    static let schema = SummaryJSONTests.repository.appendingPathComponent("docs/find.schema.json").path

    func usageError(_ arguments: [String]) throws -> String {
        let out = try Harness.twload(["find"] + arguments, timeout: 20)
        #expect(out.status == 64, "\(arguments): \(out.stderr)")
        #expect(out.stderr.split(separator: "\n").count == 1, "one line: \(out.stderr)")
        return out.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func optionsASearchSetsItselfAndBadValuesAreOneLineUsageErrors() throws {
        #expect(
            try usageError(["--rate", "1000"])
                == "twload: error: --rate: does not apply to find: find chooses each probe's rate; give --min and --max"
        )
        #expect(
            try usageError(["--min", "100", "--max", "50"])
                == "twload: error: --min: must be below --max (got 100 and 50)")
        #expect(try usageError(["--topology", "nat"]) == "twload: error: --topology: applies to the lab: add --lab")
        #expect(try usageError(["--dwell", "0.5s"]) == "twload: error: --dwell: must be at least 1s (got '0.5s')")
        #expect(
            try usageError(["--criteria", "nope > 1"]).hasPrefix("twload: error: --criteria: unknown metric 'nope'"))
        #expect(try usageError(["--lab", "--target", "127.0.0.1:80"]).hasPrefix("twload: error: --target: a lab runs"))
    }
}
