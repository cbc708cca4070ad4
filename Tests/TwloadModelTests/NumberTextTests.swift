import Testing
import TwloadModel

/// The number formats shared by the CSV, the summary, the preflight and threshold verdicts.
struct NumberTextTests {
    @Test(arguments: [
        (2.5, "2.500"), (12.0009, "12.001"), (0, "0.000"), (0.0004, "0.000"), (0.0005, "0.001"), (1.05, "1.050"),
        (59.9996, "60.000"), (123.456, "123.456"), (7.07, "7.070"),
    ])
    func fixed3PrintsThreeDecimals(value: Double, text: String) {
        #expect(NumberText.fixed3(value) == text)
    }

    @Test(arguments: [
        (Int64(500_000_000), "500 ms"), (1_000_000, "1 ms"), (1_500_000, "1.5 ms"), (2_000_000_000, "2 s"),
        (1_500_000_000, "1.5 s"), (3_600_000_000_000, "3600 s"),
    ])
    func durationReadsInMillisecondsBelowASecondAndSecondsFromThere(nanos: Int64, text: String) {
        #expect(NumberText.duration(nanos: nanos) == text)
    }

    @Test(arguments: [(2000.0, "2000"), (2.5, "2.5"), (0.25, "0.25"), (1e7, "10000000")])
    func rateDropsANeedlessFraction(value: Double, text: String) {
        #expect(NumberText.rate(value) == text)
    }

    @Test(arguments: [(500.0, "500.0"), (199.98, "200.0"), (12.34, "12.3"), (0, "0.0")])
    func oneDecimalAlwaysShowsItsDecimal(value: Double, text: String) {
        #expect(NumberText.oneDecimal(value) == text)
    }

    @Test(arguments: [(7.0625, "7.06"), (1.005, "1.00"), (0.1, "0.10"), (56.456, "56.46"), (3, "3.00")])
    func twoDecimalsAlwaysShowsBothDecimals(value: Double, text: String) {
        #expect(NumberText.twoDecimals(value) == text)
    }

    @Test(arguments: [
        (1985.0, "1985"), (199.98712, "199.9871"), (0.001234, "0.001234"), (Double.infinity, "never"),
        (-Double.infinity, "-inf"), (-2.5, "-2.5"),
    ])
    func compactKeepsFourSignificantDecimals(value: Double, text: String) {
        #expect(NumberText.compact(value) == text)
    }
}

/// Counts with their nouns, and rates per second, as the summary and notes write them.
struct CountedTextTests {
    @Test(arguments: [(0, "0 rows"), (1, "1 row"), (2, "2 rows"), (1000, "1000 rows")])
    func aCountOfOneTakesTheSingular(count: Int, text: String) {
        #expect(NumberText.counted(count, "row") == text)
    }

    @Test func anIrregularPluralIsGivenByTheCaller() {
        #expect(NumberText.counted(2, "address", plural: "addresses") == "2 addresses")
        #expect(NumberText.counted(1, "address", plural: "addresses") == "1 address")
    }

    @Test(arguments: [(470.53, "470"), (10.0, "10"), (1.6667, "1.7"), (1.0, "1"), (0.04, "0")])
    func perSecondKeepsOneDecimalBelowTen(value: Double, text: String) {
        #expect(NumberText.perSecond(value) == text)
    }
}
