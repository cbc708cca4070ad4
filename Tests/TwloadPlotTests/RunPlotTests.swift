import Testing
import TwloadModel

@testable import TwloadPlot

/// The run plot: its four panels, which series it draws, gaps, axes and markers.
struct RunPlotTests {
    static func render(_ csv: String, summary: String? = nil, format: PlotFormat = .svg) throws -> Plot.Output {
        try Plot.render(csv: csv, csvFile: "run.csv", summary: summary, summaryFile: "run.json", format: format)
    }

    static let collapse = PlotFixtures.csv(PlotFixtures.allRunColumns, rows: 20, cell: PlotFixtures.collapseCell)

    /// The `d` of the path drawn for `column`, or nil when it is not drawn.
    static func path(_ svg: String, column: String) -> String? {
        guard let r = svg.range(of: "data-column=\"\(column)\"") else { return nil }
        let tail = svg[r.upperBound...]
        guard let d = tail.range(of: " d=\"") else { return nil }
        return String(tail[d.upperBound...].prefix { $0 != "\"" })
    }

    @Test func runCSVGivesFourPanelsWithTheirTitlesInOrder() throws {
        let out = try Self.render(Self.collapse)
        #expect(out.panelIDs == ["rate", "time-wait", "latency", "errors"])
        #expect(!out.isWatch)
        for title in [
            "Connections per second", "TIME_WAIT sockets", "Latency (log scale)", "Errors per second by errno",
        ] {
            #expect(out.text.contains("class=\"panel-title\""), "\(title)")
            #expect(out.text.contains(title), "\(title)")
        }
        #expect(out.text.components(separatedBy: "<g class=\"panel\"").count - 1 == 4)
        #expect(out.text.contains("twload plot: run.csv"), "the title names the CSV")
    }

    @Test func onlyColumnsPresentInTheHeaderAreDrawn() throws {
        // An older CSV: no backlog, no response or HTTP columns, no route errors.
        let older = ["attempted", "established", "missed", "eaddrnotavail", "tw_client", "connect_p99_us"]
        let out = try Self.render(PlotFixtures.csv(older, rows: 5, cell: PlotFixtures.collapseCell))
        for column in older { #expect(Self.path(out.text, column: column) != nil, "\(column) drawn") }
        for column in ["backlog", "target_rate", "tw_server", "response_p99_us", "unexpected_status", "enetunreach"] {
            #expect(!out.text.contains("data-column=\"\(column)\""), "\(column) is absent, so not drawn")
        }
        // The newer columns are drawn when they are there.
        let newer = try Self.render(
            PlotFixtures.csv(["attempted", "backlog", "response_p99_us", "unexpected_status"], rows: 3) { c, r in
                c == "response_p99_us" ? "5000" : String(r)
            })
        for column in ["backlog", "response_p99_us", "unexpected_status"] {
            #expect(Self.path(newer.text, column: column) != nil, "\(column) drawn")
        }
        #expect(newer.text.contains("backlog (attempts)"), "backlog has its own axis: it is a level, not a rate")
    }

    @Test func aClosedLoopsEmptyTargetRateGetsNoLineAndNoLegend() throws {
        let closed = try Self.render("elapsed_s,target_rate,attempted\n1,,1000\n2,,1200\n")
        #expect(!closed.text.contains("data-column=\"target_rate\""), "no rate was set, so none is drawn")
        #expect(!closed.text.contains("target rate"), "nor named in the legend")
        #expect(Self.path(closed.text, column: "attempted") != nil)
        let open = try Self.render("elapsed_s,target_rate,attempted\n1,1000,1000\n2,1000,1000\n")
        #expect(Self.path(open.text, column: "target_rate") != nil)
    }

    @Test func columnsAreFoundByNameWhateverTheirPosition() throws {
        let a = try Self.render("elapsed_s,tw_client,attempted\n1,10,100\n2,20,200\n")
        let b = try Self.render("attempted,elapsed_s,tw_client\n100,1,10\n200,2,20\n")
        #expect(Self.path(a.text, column: "tw_client") == Self.path(b.text, column: "tw_client"))
        #expect(Self.path(a.text, column: "attempted") == Self.path(b.text, column: "attempted"))
    }

    @Test func emptyCellIsAGapNotZero() throws {
        let csv = "elapsed_s,tw_client\n1,100\n2,100\n3,\n4,100\n5,100\n"
        let d = try #require(Self.path(try Self.render(csv).text, column: "tw_client"))
        #expect(d.filter { $0 == "M" }.count == 2, "the line stops at the empty cell and starts again: \(d)")
        // With 0 instead, the line would dip to the axis: one subpath.
        let zero = try #require(
            Self.path(try Self.render(csv.replacing("3,\n", with: "3,0\n")).text, column: "tw_client"))
        #expect(zero.filter { $0 == "M" }.count == 1)
    }

    @Test func countsAreDividedByTheirIntervalLength() throws {
        // Half-second rows of 500 attempts are 1,000 per second, like one-second rows of 1,000.
        let half = try Self.render("elapsed_s,attempted\n0.5,500\n1.0,500\n1.5,500\n2.0,500\n")
        let whole = try Self.render("elapsed_s,attempted\n1,1000\n2,1000\n")
        #expect(half.text.contains(">1000</text>") && whole.text.contains(">1000</text>"))
        #expect(!half.text.contains(">1500</text>") && !half.text.contains(">2000</text>"))
    }

    @Test func latencyAxisIsLogarithmicWithDecadeTicks() throws {
        let scale = Scale.log(from: 60, to: 900_000)
        #expect(scale == .log(lowDecade: 1, highDecade: 6))
        #expect(scale.ticks(unit: .microseconds).map(\.label) == ["10 µs", "100 µs", "1 ms", "10 ms", "100 ms", "1 s"])
        #expect(abs(scale.fraction(1000) - 0.4) < 1e-9, "1 ms sits two fifths up from 10 µs to 1 s")
        #expect(scale.fraction(0) == 0, "0 µs sits on the floor of a log axis")
        let svg = try Self.render(Self.collapse).text
        for label in ["10 µs", "100 µs", "1 ms", "10 ms", "100 ms", "1 s"] { #expect(svg.contains(">\(label)</text>")) }
    }

    @Test(arguments: [(0.3, 0.5), (1.0, 1.0), (1.1, 2.0), (2.5, 5.0), (7.0, 10.0), (360.0, 500.0), (0.07, 0.1)])
    func linearTicksUseNiceSteps(raw: Double, step: Double) {
        #expect(abs(Scale.niceStep(raw) - step) < 1e-9)
    }

    @Test func countAxesStartAtZero() throws {
        let out = try Self.render("elapsed_s,tw_client,attempted\n1,15000,2000\n2,16000,2000\n")
        let scale = Scale.linear(to: 16000)
        #expect(scale.ticks().first?.value == 0)
        #expect(scale.ticks().map(\.label) == ["0", "5000", "10k", "15k", "20k"])
        #expect(out.text.contains(">10k</text>"))
    }

    @Test func markersAndPlateausComeFromTheSummary() throws {
        let out = try Self.render(Self.collapse, summary: PlotFixtures.summary)
        #expect(out.text.contains("first EADDRNOTAVAIL: measured 19.70 s (summary), predicted 21.20 s (dashed)"))
        #expect(out.text.contains("measured 7.00 s (summary), predicted 7.06 s (dashed)"))
        #expect(out.text.contains("data-marker=\"first EADDRNOTAVAIL, measured\""))
        #expect(out.text.contains("data-marker=\"collapse onset (connect() call p99 &gt; 1 ms), predicted\""))
        #expect(out.text.contains("client plateau, predicted"))
        #expect(!out.text.contains("server plateau, predicted"), "null (never) draws no plateau")
        // The time axis ends at the last row (20 s): the predicted EADDRNOTAVAIL at 21.2 s is in the caption
        // but has no line; the predicted collapse at 7.06 s has one, in each of the four panels.
        #expect(out.text.components(separatedBy: "class=\"marker predicted\"").count - 1 == 4)
        #expect(out.text.components(separatedBy: "class=\"marker\"").count - 1 == 8)
    }

    @Test func withoutASummaryMeasuredMarkersComeFromTheCSVAndNothingIsPredicted() throws {
        let out = try Self.render(Self.collapse)
        // Rows end at 1, 2, ... s: row 8 (ending at 8 s) is the first slow one, row 16 the first EADDRNOTAVAIL.
        #expect(out.text.contains("first EADDRNOTAVAIL: measured 15.00 s (start of its CSV row)"))
        #expect(out.text.contains("measured 7.00 s (start of its CSV row)"))
        #expect(!out.text.contains("class=\"marker predicted\"") && !out.text.contains("predicted 2"))
        let none = try Self.render("elapsed_s,attempted\n1,5\n")
        #expect(none.text.contains("first EADDRNOTAVAIL: measured unknown (no eaddrnotavail column)"))
    }

    @Test func svgIsStandaloneAndHTMLIsAnHTML5Page() throws {
        let svg = try Self.render(Self.collapse, format: .svg).text
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1000 "))
        #expect(svg.hasSuffix("</svg>\n"))
        #expect(!svg.contains("http://") || svg.components(separatedBy: "http").count == 2, "only the namespace")
        let html = try Self.render(Self.collapse, format: .html).text
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\""))
        #expect(html.contains("<meta charset=\"utf-8\">"))
        #expect(html.contains(svg), "the page inlines the very SVG")
        #expect(!html.contains("src=") && !html.contains("href="), "nothing is fetched at view time")
    }

    @Test(arguments: ["out.svg", "OUT.SVG", "a/b.html", "x.htm"])
    func outputFormatFollowsTheExtension(path: String) {
        #expect(PlotFormat(path: path) != nil)
    }

    @Test(arguments: ["out.png", "out", ".svg", "dir.svg/out", "out.svg.txt"])
    func otherExtensionsAreNoFormat(path: String) {
        #expect(PlotFormat(path: path) == nil)
    }

    @Test func anHourOfEveryColumnStaysUnderTwoMegabytes() throws {
        // Noisy values everywhere, so that no flat stretch is merged: the worst case for size.
        var seed: UInt64 = 42
        func noise() -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(seed >> 40) % 1000
        }
        let csv = PlotFixtures.csv(PlotFixtures.allRunColumns, rows: 3600) { _, _ in String(1 + noise()) }
        for format in PlotFormat.allCases {
            let out = try Self.render(csv, format: format)
            #expect(out.text.utf8.count < 2_000_000, "\(format): \(out.text.utf8.count) bytes")
        }
    }
}
