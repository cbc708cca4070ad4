import FuzzSupport
import TwloadConfig
import TwloadModel
import TwloadReport

/// Parses a threshold against the run's metric names and evaluates what parses. A parse error names the
/// option and stays on one line; a threshold parses back from its own text to the same expression; it
/// evaluates to pass or fail when every metric has a value (whatever the values: zero, negative,
/// infinite, NaN) and to unknown when one is missing, always as one line.
enum ThresholdCheck {
    static let option = "--fail-on"
    static let known = MetricTable.runMetricNames
    /// Values that stress the arithmetic and the number formatting.
    static let palette: [Double] = [
        0, 1, -1, 0.5, 2000, 1e15, -1e14, 1e-7, 123_456.789, .infinity, -.infinity, .nan,
        .greatestFiniteMagnitude, .leastNonzeroMagnitude, 9.223_372_036_854_775e18, -0.0,
    ]

    static func run(text: String) {
        let threshold: Threshold
        do {
            threshold = try Threshold(parsing: text, knownMetrics: known, option: option)
        } catch {
            fuzzCheck(error.option == option, "error names \(error.option), not \(option)")
            fuzzCheck(error.problem.isOneLine, "error is not one line: \(error.problem.debugDescription)")
            return
        }
        fuzzCheck(threshold.metrics.isSubset(of: known), "unknown metrics \(threshold.metrics.subtracting(known))")
        fuzzCheck(threshold.text == text.trimmed, "text \(threshold.text.debugDescription) is not the trimmed input")
        do {
            let again = try Threshold(parsing: threshold.text, knownMetrics: known, option: option)
            fuzzCheck(again == threshold, "'\(threshold.text)' parses differently the second time")
        } catch {
            fuzzCheck(false, "'\(threshold.text)' parsed once, then failed: \(error)")
        }

        let names = threshold.metrics.sorted()
        for round in 0..<3 {
            var values: [String: Double] = [:]
            for (i, name) in names.enumerated() {
                values[name] = palette[(i * 5 + round * 7 + text.utf8.count) % palette.count]
            }
            let outcome = threshold.evaluate(values)
            fuzzCheck(outcome.verdict != .unknown, "unknown with every metric given: \(outcome.line)")
            fuzzCheck(outcome.left != nil && outcome.right != nil, "a side has no value: \(outcome.line)")
            fuzzCheck(outcome.line.isOneLine, "verdict is not one line: \(outcome.line.debugDescription)")
        }
        let missing = threshold.evaluate([:])
        fuzzCheck((missing.verdict == .unknown) == !names.isEmpty, "no values gave \(missing.verdict)")
        fuzzCheck(missing.line.isOneLine, "verdict is not one line: \(missing.line.debugDescription)")
    }
}
