import Testing

@testable import TwloadMerge

/// Merged cells are exact decimal sums, never binary fractions.
struct DecimalSumTests {
    func sum(_ cells: [String]) -> String? {
        var s = DecimalSum()
        for c in cells where !s.add(Substring(c)) { return nil }
        return s.text
    }

    @Test(arguments: [
        (["0.1", "0.2"], "0.3"), (["133.333", "66.667"], "200.000"), (["100", "100", "100", "100"], "400"),
        (["1.5", "2"], "3.5"), (["-3", "1"], "-2"), (["0.001", "-0.002"], "-0.001"), (["", "7", ""], "7"),
        ([], ""), (["", ""], ""), (["12.000", "0.5"], "12.500"),
    ])
    func sumsDecimalTextExactly(cells: [String], text: String) {
        #expect(sum(cells) == text, "\(cells)")
    }

    @Test(arguments: [
        ["1e3"], ["nan"], ["1."], ["."], ["-"], ["1.2.3"], ["0x10"], [" 1"], ["9223372036854775807", "1"],
    ])
    func refusesWhatIsNotAPlainDecimal(cells: [String]) {
        #expect(sum(cells) == nil, "\(cells)")
    }
}
