import Foundation
import Testing
import TwloadConfig
import TwloadReport
import TwloadTestSupport

/// The README's tables of options and columns are derived from the declarations (`RunOption`, `ServeOption`,
/// `WatchOption`, `LabOption`, `FindOption`, `PlotOption`, `MergeOption`, `MetricTable`, `WatchFormat`); these tests fail when the two disagree. Run them
/// with TWLOAD_UPDATE_README=1 to rewrite the README's rows from the declarations instead.
@Suite(.serialized) struct ReadmeTablesTests {
    static let readmePath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("README.md").path

    /// Each table: the README line it follows, and its rows as the declarations make them.
    static let tables: [(heading: String, rows: [String])] = [
        ("### `twload run`", ReadmeTables.optionRows(RunOption.readmeTable)),
        ("### `twload check`", ReadmeTables.optionRows(RunOption.checkTable)),
        ("### `twload serve`", ReadmeTables.optionRows(ServeOption.all)),
        ("### `twload watch`", ReadmeTables.optionRows(WatchOption.all)),
        ("### `twload lab`", ReadmeTables.optionRows(LabOption.all)),
        ("### `twload find`", ReadmeTables.optionRows(FindOption.readmeTable)),
        ("### `twload plot`", ReadmeTables.optionRows(PlotOption.all)),
        ("### `twload merge`", ReadmeTables.optionRows(MergeOption.all)),
        ("## CSV columns", ReadmeTables.csvColumnRows(MetricTable.all)),
        ("### Run metrics", ReadmeTables.runMetricRows(MetricTable.all)),
        ("### `twload watch` columns", ReadmeTables.watchColumnRows(WatchFormat.columns)),
    ]

    @Test(arguments: 0..<tables.count)
    func readmeTableMatchesTheDeclarations(index: Int) throws {
        let (heading, expected) = Self.tables[index]
        var readme = try String(contentsOfFile: Self.readmePath, encoding: .utf8)
        if ProcessInfo.processInfo.environment["TWLOAD_UPDATE_README"] == "1" {
            readme = try #require(ReadmeTables.replacingRows(expected, after: heading, in: readme))
            try readme.write(toFile: Self.readmePath, atomically: true, encoding: .utf8)
        }
        let actual = try #require(ReadmeTables.rows(in: readme, after: heading), "no table after \(heading)")
        for (a, e) in zip(actual, expected) { #expect(a == e, "under \(heading)") }
        #expect(actual.count == expected.count, "under \(heading): \(actual.count) rows, \(expected.count) declared")
    }
}
