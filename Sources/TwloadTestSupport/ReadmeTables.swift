import TwloadConfig
import TwloadReport

/// The README's option and column tables as the declarations make them, and the README's own tables, so
/// that a test can keep the two in step (and, asked to, rewrite the README's rows from the declarations).
public enum ReadmeTables {
    /// One row per option: "| `--rate N` | required | New connections per second ... |".
    public static func optionRows(_ table: [any AnyOptionSpec]) -> [String] {
        table.map { "| \($0.readmeOption) | \($0.readmeDefault) | \($0.help) |" }
    }

    /// One row per column of the run CSV (a family of columns shares one row).
    public static func csvColumnRows(_ metrics: [Metric]) -> [String] {
        rows(metrics.filter { $0.cell != nil }.map { ($0.name, $0.unit, $0.meaning, $0.family) })
    }

    /// One row per run metric (thresholds, the JSON summary).
    public static func runMetricRows(_ metrics: [Metric]) -> [String] {
        rows(metrics.filter { $0.total != nil }.map { ($0.name, $0.unit, $0.meaning, $0.family) })
    }

    /// One row per column of `twload watch` (a family of columns shares one row).
    public static func watchColumnRows(_ columns: [WatchColumn]) -> [String] {
        rows(columns.map { ($0.name, $0.unit, $0.meaning, $0.family) })
    }

    /// "| `name` | unit | meaning |", or for a family "| `first` … `last` | unit | meaning |".
    static func rows(_ items: [(name: String, unit: MetricUnit, meaning: String, family: String?)]) -> [String] {
        var out: [String] = []
        var i = 0
        while i < items.count {
            var j = i
            while let f = items[i].family, j + 1 < items.count, items[j + 1].family == f { j += 1 }
            let name = i == j ? "`\(items[i].name)`" : "`\(items[i].name)` … `\(items[j].name)`"
            out.append("| \(name) | \(items[i].unit.rawValue) | \(items[i].meaning) |")
            i = j + 1
        }
        return out
    }

    /// The body rows of the first table after the line `heading` (its header and separator rows left out).
    public static func rows(in readme: String, after heading: String) -> [String]? {
        let all = lines(readme)
        guard let range = tableRange(in: all, after: heading) else { return nil }
        return Array(all[range])
    }

    /// `readme` with the body rows of the first table after `heading` replaced by `rows`.
    public static func replacingRows(_ rows: [String], after heading: String, in readme: String) -> String? {
        var all = lines(readme)
        guard let range = tableRange(in: all, after: heading) else { return nil }
        all.replaceSubrange(range, with: rows)
        return all.joined(separator: "\n")
    }

    static func lines(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// The lines of the table's body: after the heading, the first run of lines starting with "|", less its
    /// header row and separator row.
    static func tableRange(in lines: [String], after heading: String) -> Range<Int>? {
        guard let h = lines.firstIndex(of: heading),
            let start = lines[(h + 1)...].firstIndex(where: { $0.hasPrefix("|") })
        else { return nil }
        let end = lines[start...].firstIndex(where: { !$0.hasPrefix("|") }) ?? lines.endIndex
        return start + 2 <= end ? (start + 2)..<end : nil
    }
}
