import Testing
import TwloadModel

@testable import TwloadConfig

/// The metric names these tests may use.
private let known: Set<String> = [
    "eaddrnotavail", "connect_p99_us", "first_eaddrnotavail_s", "achieved_rate", "rate", "tw_overflow",
    "peak_tw_client", "failed", "attempted", "established_after_slow", "x",
]

private func threshold(_ text: String) throws -> Threshold {
    try Threshold(parsing: text, knownMetrics: known)
}

/// Parses `text` (which must be valid) and evaluates it against `values`.
private func outcome(_ text: String, _ values: [String: Double] = [:]) throws -> ThresholdOutcome {
    try threshold(text).evaluate(values)
}

/// The error that parsing `text` throws, or nil if it parses.
private func parseError(_ text: String, option: String = "--fail-on") -> ConfigError? {
    do {
        _ = try Threshold(parsing: text, knownMetrics: known, option: option)
        return nil
    } catch {
        return error
    }
}

@Suite struct ThresholdTests {
    // MARK: The documented examples

    @Test(
        arguments: [
            ("eaddrnotavail == 0", ["eaddrnotavail": 0], ThresholdOutcome.Verdict.pass, 0.0, 0.0),
            ("eaddrnotavail == 0", ["eaddrnotavail": 1234], .fail, 1234, 0),
            ("connect_p99_us < 5000", ["connect_p99_us": 4999.5], .pass, 4999.5, 5000),
            ("connect_p99_us < 5000", ["connect_p99_us": 5000], .fail, 5000, 5000),
            ("first_eaddrnotavail_s > 30", ["first_eaddrnotavail_s": 45], .pass, 45, 30),
            ("first_eaddrnotavail_s > 30", ["first_eaddrnotavail_s": 12.5], .fail, 12.5, 30),
            ("achieved_rate >= 0.99 * rate", ["achieved_rate": 1985.2, "rate": 2000], .pass, 1985.2, 1980),
            ("achieved_rate >= 0.99 * rate", ["achieved_rate": 1979, "rate": 2000], .fail, 1979, 1980),
            ("tw_overflow > 0", ["tw_overflow": 3], .pass, 3, 0),
            ("tw_overflow > 0", ["tw_overflow": 0], .fail, 0, 0),
            ("peak_tw_client <= 2 * (rate + 10)", ["peak_tw_client": 2020, "rate": 1000], .pass, 2020, 2020),
            ("peak_tw_client <= 2 * (rate + 10)", ["peak_tw_client": 2021, "rate": 1000], .fail, 2021, 2020),
            ("failed/attempted < 0.01", ["failed": 5, "attempted": 1000], .pass, 0.005, 0.01),
            ("failed/attempted < 0.01", ["failed": 20, "attempted": 1000], .fail, 0.02, 0.01),
            ("established_after_slow < 0.7*rate", ["established_after_slow": 650, "rate": 1000], .pass, 650, 700),
            ("established_after_slow < 0.7*rate", ["established_after_slow": 700, "rate": 1000], .fail, 700, 700),
        ] as [(String, [String: Double], ThresholdOutcome.Verdict, Double, Double)])
    func documentedExampleEvaluatesToExpectedVerdict(
        text: String, values: [String: Double], verdict: ThresholdOutcome.Verdict, left: Double, right: Double
    ) throws {
        let o = try outcome(text, values)
        #expect(o.verdict == verdict)
        #expect(o.left == left)
        #expect(o.right == right)
    }

    @Test func metricsAreTheNamesTheExpressionUses() throws {
        #expect(try threshold("peak_tw_client <= 2 * (rate + 10)").metrics == ["peak_tw_client", "rate"])
        #expect(try threshold("failed/attempted < 0.01").metrics == ["failed", "attempted"])
        #expect(try threshold("2 > 1").metrics == [])
    }

    @Test func textIsTrimmedAndWhitespaceIsOptional() throws {
        let t = try threshold("  failed/attempted<0.01\n")
        #expect(t.text == "failed/attempted<0.01")
        #expect(t.description == "failed/attempted<0.01")
        #expect(try threshold("  rate\t>=\n5 ").evaluate(["rate": 5]).verdict == .pass)
    }

    @Test func sameTextParsesToEqualThresholds() throws {
        #expect(try threshold("rate > 5") == threshold(" rate > 5 "))
        #expect(try threshold("rate > 5") != threshold("rate > 6"))
    }

    // MARK: Arithmetic

    @Test(arguments: [
        ("2 + 3 * 4 == 0", 14.0), ("(2 + 3) * 4 == 0", 20), ("2 * 3 + 4 * 5 == 0", 26), ("10 - 4 - 3 == 0", 3),
        ("8 / 4 / 2 == 0", 1), ("2 * (3 + 4) * 5 == 0", 70), ("((1 + 2)) * ((3)) == 0", 9), ("1 - 2 * 3 == 0", -5),
        ("12 / 4 * 3 == 0", 9), ("2*3-1==0", 5),
    ])
    func precedenceAndParenthesesFollowArithmetic(text: String, left: Double) throws {
        #expect(try outcome(text).left == left)
    }

    @Test(arguments: [
        ("-5 == 0", -5.0), ("- -5 == 0", 5), ("2 - -3 == 0", 5), ("-2 * 3 == 0", -6), ("-(2 + 3) == 0", -5),
        ("1 + 2 * -3 == 0", -5), ("-x == 0", -7),
    ])
    func unaryMinusNegatesTheFactor(text: String, left: Double) throws {
        #expect(try outcome(text, ["x": 7]).left == left)
    }

    @Test(arguments: [
        ("1.5k == 0", 1500.0), ("2k == 0", 2000), ("0.5k == 0", 500), ("1e3 == 0", 1000), ("1.5e3 == 0", 1500),
        ("2.5e-1 == 0", 0.25), (".5 == 0", 0.5), ("12 == 0", 12), ("0.99 == 0", 0.99), ("1e3k == 0", 1e6),
    ])
    func numbersAcceptDecimalsExponentsAndKSuffix(text: String, left: Double) throws {
        #expect(try outcome(text).left == left)
    }

    @Test func kSuffixWorksInsideComparisons() throws {
        #expect(try outcome("x < 1.5k", ["x": 1499]).verdict == .pass)
        #expect(try outcome("x < 1.5k", ["x": 1500]).verdict == .fail)
    }

    // MARK: Comparison operators

    @Test(arguments: [
        ("x < 5", 5.0, ThresholdOutcome.Verdict.fail), ("x < 5", 4.9, .pass),
        ("x <= 5", 5, .pass), ("x <= 5", 5.1, .fail),
        ("x > 5", 5, .fail), ("x > 5", 5.1, .pass),
        ("x >= 5", 5, .pass), ("x >= 5", 4.9, .fail),
        ("x == 5", 5, .pass), ("x == 5", 5.000001, .fail),
        ("x != 5", 5, .fail), ("x != 5", 4.999999, .pass),
    ])
    func comparisonIsExactAtItsBoundary(text: String, x: Double, verdict: ThresholdOutcome.Verdict) throws {
        #expect(try outcome(text, ["x": x]).verdict == verdict)
    }

    // MARK: Infinity, missing values, NaN

    @Test func infinityPassesGreaterThanAndFailsLessThan() throws {
        let never = ["first_eaddrnotavail_s": Double.infinity]
        let above = try outcome("first_eaddrnotavail_s > 30", never)
        #expect(above.verdict == .pass)
        #expect(above.left == .infinity)
        #expect(above.line == "PASS  first_eaddrnotavail_s > 30   (never > 30)")
        let below = try outcome("first_eaddrnotavail_s < 30", never)
        #expect(below.verdict == .fail)
        #expect(below.line == "FAIL  first_eaddrnotavail_s < 30   (never < 30)")
    }

    @Test func missingMetricMakesTheOutcomeUnknown() throws {
        let o = try outcome("x > 1", ["rate": 5])
        #expect(o.verdict == .unknown)
        #expect(o.left == nil)
        #expect(o.right == 1)
        #expect(o.line == "N/A   x > 1   (no value for x)")
    }

    @Test func everyMissingMetricIsNamedInSortedOrder() throws {
        let o = try outcome("failed / attempted < x", ["attempted": 100])
        #expect(o.verdict == .unknown)
        #expect(o.left == nil && o.right == nil)
        #expect(o.line == "N/A   failed / attempted < x   (no value for failed, x)")
    }

    @Test func nanOnEitherSideFails() throws {
        let left = try outcome("x > 1", ["x": .nan])
        #expect(left.verdict == .fail)
        #expect(left.left?.isNaN == true)
        #expect(left.line == "FAIL  x > 1   (nan)")
        #expect(try outcome("1 != x", ["x": .nan]).verdict == .fail)
        #expect(try outcome("x == x", ["x": .nan]).verdict == .fail)
    }

    @Test func divisionByZeroFollowsIEEE() throws {
        let zeroByZero = try outcome("failed/attempted < 0.01", ["failed": 0, "attempted": 0])
        #expect(zeroByZero.verdict == .fail)
        #expect(zeroByZero.line == "FAIL  failed/attempted < 0.01   (nan)")
        let oneByZero = try outcome("failed/attempted > 1000", ["failed": 1, "attempted": 0])
        #expect(oneByZero.verdict == .pass)
        #expect(oneByZero.left == .infinity)
        #expect(try outcome("-1/0 < -1000").verdict == .pass)
    }

    // MARK: Report lines

    @Test func reportLineShowsVerdictTextAndBothSides() throws {
        let pass = try outcome("achieved_rate >= 0.99 * rate", ["achieved_rate": 1985.2, "rate": 2000])
        #expect(pass.line == "PASS  achieved_rate >= 0.99 * rate   (1985.2 >= 1980)")
        let fail = try outcome("eaddrnotavail == 0", ["eaddrnotavail": 1234])
        #expect(fail.line == "FAIL  eaddrnotavail == 0   (1234 == 0)")
        let ratio = try outcome("failed/attempted < 0.01", ["failed": 5, "attempted": 1000])
        #expect(ratio.line == "PASS  failed/attempted < 0.01   (0.005 < 0.01)")
    }

    @Test func reportLineKeepsAMultiLineTextOnOneLine() throws {
        #expect(try outcome("x >\n1", ["x": 2]).line == "PASS  x > 1   (2 > 1)")
    }

    @Test(arguments: [
        (42.0, "42"), (-3, "-3"), (-0.0, "0"), (1985.2, "1985.2"), (0.123456, "0.1235"), (2.5, "2.5"),
        (-2.5, "-2.5"), (1234567.891, "1234567.891"), (3.14159265, "3.1416"), (0.00012344, "0.0001234"),
        (1979.99999, "1980"), (1e12, "1000000000000"), (-Double.infinity, "-inf"), (3e20, "3e+20"),
    ])
    func numbersInTheLineAreCompact(x: Double, shown: String) throws {
        #expect(try outcome("x != 7", ["x": x]).line == "PASS  x != 7   (\(shown) != 7)")
    }

    // MARK: Malformed input

    @Test(arguments: [
        "", "rate >", "> 5", "rate 5", "rate == 5 == 6", "foo > 1", "rate > (5", "rate > 5)", "rate >= 0..9",
        "rate => 5", "rate = 5", "rate", "rate > 5 6", "Rate > 5", "rate > 5rate", "rate > 1e", "rate ! 5",
        "rate > ()", "rate > 5 *", "() > 1", "rate > 1e999", "rate > 0x1p3", "rate > 1e3.5", "rate > 1.5kk",
        "rate > 1e+", "rate > 5_000", "rate > 1.2.3",
    ])
    func malformedThresholdThrowsOneLineErrorQuotingTheText(text: String) {
        let e = parseError(text)
        #expect(e?.option == "--fail-on")
        #expect(e?.problem.contains("'\(text)'") == true, "\(e?.description ?? "no error")")
        #expect(e?.problem.contains("\n") == false)
    }

    @Test(arguments: [
        ("", "expected a threshold such as 'eaddrnotavail == 0' (got '')"),
        ("rate >", "expected a number, metric or '(' at the end of 'rate >'"),
        ("> 5", "expected a number, metric or '(' but found '>' at column 1 in '> 5'"),
        ("rate 5", "expected a comparison (==, !=, <, <=, >, >=) but found '5' at column 6 in 'rate 5'"),
        ("rate", "expected a comparison (==, !=, <, <=, >, >=) at the end of 'rate'"),
        ("rate == 5 == 6", "only one comparison is allowed; found a second '==' at column 11 in 'rate == 5 == 6'"),
        ("rate > (5", "missing ')' for the '(' at column 8 in 'rate > (5'"),
        ("rate > (5 6", "missing ')' for the '(' at column 8 but found '6' at column 11 in 'rate > (5 6'"),
        ("rate > 5)", "unexpected ')' at column 9 in 'rate > 5)'"),
        ("rate) > 5", "unexpected ')' at column 5 in 'rate) > 5'"),
        ("rate >= 0..9", "malformed number '0..9' at column 9 in 'rate >= 0..9'"),
        ("rate => 5", "unexpected '=' at column 6 in 'rate => 5'; comparisons are ==, !=, <, <=, >, >="),
        ("Rate > 5", "unexpected 'R' at column 1 in 'Rate > 5'; metric names are lowercase"),
        ("rate > 5 6", "unexpected '6' at column 10 in 'rate > 5 6'"),
    ])
    func malformedThresholdSaysWhatIsWrongAndWhere(text: String, problem: String) {
        #expect(parseError(text)?.problem == problem)
    }

    @Test func unknownMetricIsNamedWithTheKnownOnes() {
        let e = parseError("foo > 1")
        #expect(e?.problem.hasPrefix("unknown metric 'foo' at column 1 in 'foo > 1'; known: achieved_rate, ") == true)
        #expect(e?.problem.hasSuffix(", tw_overflow, x") == true)
        #expect(parseError("rate > 2 * foo_bar")?.problem.contains("unknown metric 'foo_bar' at column 12") == true)
    }

    @Test func errorNamesTheGivenOption() {
        let e = parseError("rate >", option: "profile fail_on[2]")
        #expect(e?.option == "profile fail_on[2]")
    }

    @Test func nonPrintableCharacterIsShownAsCodePoint() {
        #expect(parseError("rate > 5\u{7}")?.problem == "unexpected 'U+7' at column 9 in 'rate > 5 '")
    }

    @Test func overlongTextIsRejectedWithoutParsing() {
        let long = String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000) + " > 0"
        let e = parseError(long)
        #expect(e?.problem.hasPrefix("is longer than 1000 characters (got '((((") == true)
    }
}
