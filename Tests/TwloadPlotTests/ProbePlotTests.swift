import Testing
import TwloadModel

@testable import TwloadPlot

/// A `twload find` CSV: its probes laid end to end on one time axis with their gaps, a marker per probe, and
/// with a find summary each probe's verdict and the search's result.
struct ProbePlotTests {
    /// The wall clock (ms) when the search began.
    static let t0 = 1_700_000_000_000

    /// One-second rows of probes given as (number, rate, rows, start in s after `t0`); `late` ms is added to
    /// every `unix_ms` (a row is written a little after its interval ends).
    static func findCSV(_ probes: [(Int, Int, Int, Int)], late: Int = 0) -> String {
        var out = "elapsed_s,unix_ms,target_rate,attempted,established,eaddrnotavail,tw_client,probe\n"
        for (number, rate, rows, start) in probes {
            for r in 1...rows {
                let unixMs = t0 + (start + r) * 1000 + late
                out += "\(r).000,\(unixMs),\(rate),\(rate),\(rate),0,\(rate * r),\(number)\n"
            }
        }
        return out
    }

    /// Probe 1 at 100/s for 3 s, 5 s of pause, probe 2 at 200/s for 2 s, 2 s of pause, probe 3 at 150/s.
    static let threeProbes = findCSV([(1, 100, 3, 0), (2, 200, 2, 8), (3, 150, 3, 12)])

    static let summary = """
        {"schema_version": 1, "kind": "find", "twload_version": "test",
         "probes": [
           {"probe": 1, "role": "search", "rate": 100, "dwell_s": 3, "held": true, "limited_by": null},
           {"probe": 2, "role": "search", "rate": 200, "dwell_s": 2, "held": false, "limited_by": "host_ports"},
           {"probe": 3, "role": "confirm", "rate": 150, "dwell_s": 3, "held": true, "limited_by": null}],
         "result": {"max_rate": 150, "sustainable_rate": 16.666666, "limited_by": "host_ports"}}
        """

    static func layout(_ csv: String) throws -> ProbeLayout {
        let table = try CSVTable(text: csv, file: "find.csv")
        return try ProbeLayout(table, elapsed: (try table.numbers("elapsed_s") ?? []).map { $0 ?? 0 })
    }

    static func render(_ csv: String, summary: String? = nil) throws(PlotError) -> Plot.Output {
        try Plot.render(csv: csv, csvFile: "find.csv", summary: summary, summaryFile: "find.json", format: .svg)
    }

    static func error(_ csv: String) -> PlotError? {
        do {
            _ = try render(csv)
            return nil
        } catch {
            return error
        }
    }

    @Test func probesAreLaidEndToEndWithTheGapsBetweenThem() throws {
        let layout = try Self.layout(Self.threeProbes)
        #expect(layout.probes.map(\.number) == [1, 2, 3])
        #expect(layout.probes.map(\.start) == [0, 8, 12])
        #expect(layout.probes.map(\.rows) == [0..<3, 3..<5, 5..<8])
        #expect(layout.timeline.times == [1, 2, 3, 9, 10, 13, 14, 15])
        #expect(layout.timeline.starts == [0, 1, 2, 8, 9, 12, 13, 14])
        #expect(layout.timeline.lengths == [1, 1, 1, 1, 1, 1, 1, 1], "intervals are the probe's own, not the gap")
        #expect(layout.timeline.segmentStarts == [3, 5])
        #expect(layout.notes.isEmpty)
    }

    @Test func lateWrittenRowsDoNotShiftTheProbesApart() throws {
        // Every row written 40 ms after its interval ended: the gaps are the same, all shifted alike.
        let layout = try Self.layout(Self.findCSV([(1, 100, 3, 0), (2, 200, 2, 8)], late: 40))
        #expect(layout.timeline.times == [1, 2, 3, 9, 10])
    }

    @Test func aProbeNeverStartsBeforeTheOneBeforeEnded() throws {
        // Probe 2's wall clock says it began 1 s before probe 1's last row: it is placed right after it.
        let layout = try Self.layout(Self.findCSV([(1, 100, 3, 0), (2, 200, 2, 2)]))
        #expect(layout.probes.map(\.start) == [0, 3])
        #expect(layout.timeline.times == [1, 2, 3, 4, 5])
    }

    @Test func withoutUnixMsTheProbesFollowEachOtherWithANote() throws {
        let csv = "elapsed_s,attempted,probe\n1,5,1\n2,5,1\n1,7,2\n"
        let layout = try Self.layout(csv)
        #expect(layout.timeline.times == [1, 2, 3])
        #expect(layout.notes == ["find.csv: no unix_ms column: the probes are laid end to end, without their gaps"])
        #expect(try Self.render(csv).notes == layout.notes)
    }

    @Test func linesAreBrokenBetweenProbes() throws {
        let svg = try Self.render(Self.threeProbes).text
        let d = try #require(RunPlotTests.path(svg, column: "attempted"))
        #expect(d.filter { $0 == "M" }.count == 3, "one subpath per probe: \(d)")
        let band = try #require(RunPlotTests.path(svg, column: "eaddrnotavail"))
        #expect(band.filter { $0 == "Z" }.count == 3, "one stacked outline per probe: \(band)")
    }

    @Test func countsAreDividedByTheProbesOwnIntervalsNotTheGap() throws {
        // At 100, 200 and 150 per 1 s row the rates panel tops at 200/s; a count divided by a gap would not.
        let out = try Self.render(Self.threeProbes)
        let d = try #require(RunPlotTests.path(out.text, column: "attempted"))
        // Probe 2's rows (9 s and 10 s, x = 446 and 486.7) are at the top of the axis (200/s), the rate
        // panel's top edge at y = 102; its first row divided by the 6 s since probe 1's end would be 33/s.
        #expect(d.contains("M446 102 486.7 102"), "\(d)")
    }

    @Test func eachProbeGetsAMarkerTaggedWithItsNumberAndRate() throws {
        let out = try Self.render(Self.threeProbes)
        #expect(out.probeCount == 3)
        #expect(out.panelIDs == ["rate", "time-wait", "latency", "errors"])
        for tag in ["#1 100/s", "#2 200/s", "#3 150/s"] { #expect(out.text.contains(">\(tag)</text>"), "\(tag)") }
        #expect(out.text.contains("data-marker=\"probe 2, 200/s\""))
        // The axis runs from 0 to 15 s over 610 px from x = 80: probe 2 starts at 8 s, x = 405.3.
        #expect(out.text.contains("x1=\"405.3\" x2=\"405.3\""))
        #expect(out.text.contains("twload find, 3 probes, 8 rows"))
        #expect(out.text.contains("seconds since the search began"))
        #expect(out.text.contains("Marker, probe starts (grey, 3 probes): number and target_rate"))
        #expect(!out.text.contains(">max "), "no summary, no result lines")
    }

    @Test func aFindSummaryAddsVerdictsAndTheResultLines() throws {
        let out = try Self.render(Self.threeProbes, summary: Self.summary)
        for tag in ["#1 100/s ✓", "#2 200/s ✗", "#3 150/s ✓"] { #expect(out.text.contains(">\(tag)</text>"), "\(tag)") }
        #expect(out.text.contains("data-marker=\"probe 2 (search), 200/s, failed, limited by host_ports\""))
        #expect(out.text.contains("data-marker=\"probe 3 (confirm), 150/s, held\""))
        #expect(out.text.contains(">max 150/s</text>"))
        #expect(out.text.contains(">sustainable 16.7/s</text>"))
        #expect(out.text.contains("max 150/s, sustainable 16.7/s, limited by host_ports; 8 rows"))
        let rate = try #require(out.text.components(separatedBy: "id=\"panel-time-wait\"").first)
        #expect(rate.components(separatedBy: "class=\"reference\"").count - 1 == 2, "both lines on the rates panel")
        #expect(out.notes.isEmpty)
    }

    @Test func theSummarysRateNamesTheProbe() throws {
        let layout = try Self.layout(Self.findCSV([(1, 100, 2, 0)]))
        let told = FindSummary(probes: [FindSummary.Probe(number: 1, rate: 16.666666, held: true)])
        #expect(ProbeMarks.markers(layout, summary: told).map(\.tag) == ["#1 16.7/s ✓"])
        #expect(ProbeMarks.markers(layout, summary: nil).map(\.tag) == ["#1 100/s"])
    }

    @Test func aNullResultDrawsNoLine() throws {
        let summary = """
            {"schema_version": 1, "kind": "find", "probes": [],
             "result": {"max_rate": null, "sustainable_rate": null, "limited_by": null}}
            """
        let out = try Self.render(Self.threeProbes, summary: summary)
        let rate = try #require(out.text.components(separatedBy: "id=\"panel-time-wait\"").first)
        #expect(!rate.contains("class=\"reference\""))
        #expect(out.text.contains("max none, sustainable none; 8 rows"))
        #expect(out.text.contains(">#2 200/s</text>"), "a probe the summary does not tell of keeps the CSV's rate")
    }

    @Test func aFindSummaryWithoutMetricsIsAccepted() throws {
        let parsed = try PlotSummary(text: Self.summary, file: "find.json")
        let find = try #require(parsed.find)
        #expect(find.probes.count == 3)
        #expect(
            find.probe(2)
                == FindSummary.Probe(
                    number: 2, role: "search", rate: 200, dwellSeconds: 2, held: false, limitedBy: "host_ports"))
        #expect(find.maxRate == 150 && find.sustainableRate == 16.666666 && find.limitedBy == "host_ports")
        // A run summary still needs its metrics.
        #expect(throws: PlotError.self) { try PlotSummary(text: "{\"schema_version\": 1}", file: "run.json") }
        #expect(try PlotSummary(text: PlotFixtures.summary, file: "run.json").run != nil)
    }

    @Test(arguments: [
        ("{\"schema_version\": 1, \"kind\": \"find\"}", "find.json: not a twload find summary: no \"probes\" array"),
        (
            "{\"schema_version\": 1, \"kind\": \"find\", \"probes\": [{\"rate\": 1}]}",
            "find.json: probes[0].probe: a positive integer was expected"
        ),
        (
            "{\"schema_version\": 1, \"kind\": \"find\", \"probes\": [{\"probe\": 1, \"held\": \"yes\"}]}",
            "find.json: probes[0].held: true, false or null was expected"
        ),
        (
            "{\"schema_version\": 1, \"kind\": \"find\", \"probes\": [], \"result\": {\"max_rate\": \"high\"}}",
            "find.json: result.max_rate: a number or null was expected"
        ),
        (
            "{\"schema_version\": 2, \"kind\": \"find\", \"probes\": []}",
            "find.json: schema_version 2; this twload reads version 1"
        ),
    ])
    func badFindSummaryErrorNamesTheFileAndMember(json: String, message: String) {
        do {
            _ = try PlotSummary(text: json, file: "find.json")
            Issue.record("no error for \(json)")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test(arguments: [
        ("x", "find.csv:3: probe: 'x' is not a positive integer"),
        ("0", "find.csv:3: probe: '0' is not a positive integer"),
        ("-1", "find.csv:3: probe: '-1' is not a positive integer"),
        ("1.5", "find.csv:3: probe: '1.5' is not a positive integer"),
        ("", "find.csv:3: probe: '' is not a positive integer"),
        ("99999999999999999999", "find.csv:3: probe: '99999999999999999999' is not a positive integer"),
    ])
    func malformedProbeCellIsAnErrorNamingItsLine(cell: String, message: String) throws {
        let e = try #require(Self.error("elapsed_s,attempted,probe\n1,5,1\n2,5,\(cell)\n"))
        #expect(e.description == message)
    }

    @Test func probesOutOfOrderAreAnErrorNamingTheRow() throws {
        let e = try #require(Self.error("elapsed_s,attempted,probe\n1,5,1\n1,5,2\n2,5,2\n1,5,1\n"))
        #expect(e.description == "find.csv:5: probe 1 after probe 2: the probes must be in order")
    }

    @Test func anOrdinaryRunCSVHasNoProbeMarkers() throws {
        let out = try Self.render(RunPlotTests.collapse)
        #expect(out.probeCount == 0)
        #expect(!out.text.contains("probe"))
        #expect(out.text.contains("elapsed (s), end of each interval"))
        // A find summary with a run's CSV: the result lines are drawn, no probe is marked, and a note says so.
        let withFind = try Self.render(RunPlotTests.collapse, summary: Self.summary)
        #expect(withFind.text.contains(">max 150/s</text>") && !withFind.text.contains("data-marker=\"probe"))
        #expect(withFind.notes.count == 1)
    }

    @Test func aRunSummaryIsNotUsedForAFindCSV() throws {
        let out = try Self.render(Self.threeProbes, summary: PlotFixtures.summary)
        #expect(out.notes == ["--summary is a run's summary: it is not used for a twload find CSV"])
        #expect(!out.text.contains("(summary)"), "the run markers come from the CSV")
    }

    /// Random edits of a good find CSV: each renders or fails with a PlotError.
    @Test func anyEditedFindCSVRendersOrFailsWithAPlotErrorNeverATrap() {
        var seed: UInt64 = 11
        func next(_ n: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(seed >> 33) % max(n, 1)
        }
        let alphabet = Array("0123456789,.-e\n".utf8)
        for _ in 0..<300 {
            var bytes = Array(Self.threeProbes.utf8)
            for _ in 0..<(1 + next(6)) {
                let at = next(bytes.count)
                switch next(3) {
                case 0: bytes[at] = alphabet[next(alphabet.count)]
                case 1: bytes.remove(at: at)
                default: bytes.insert(alphabet[next(alphabet.count)], at: at)
                }
            }
            _ = try? Self.render(String(decoding: bytes, as: UTF8.self), summary: Self.summary)
        }
    }
}
