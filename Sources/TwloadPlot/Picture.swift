/// A whole plot: the title block, the marker captions and the panels stacked over one time axis, as SVG.
struct Picture {
    let title: String
    let subtitle: String
    /// One line per marker kind, under the subtitle.
    let captions: [String]
    let panels: [Panel]
    let markers: [Marker]
    /// Where each row sits on the time axis.
    let timeline: Timeline
    /// The time axis' title.
    var timeLabel = "elapsed (s), end of each interval"

    private var times: [Double] { timeline.times }

    /// The style sheet inside the SVG, so the file looks the same alone, inlined or as an `<img>`.
    static let style = """
        .background{fill:#fff}
        .title{font-size:18px;font-weight:bold}
        .subtitle,.caption{font-size:12px;fill:#444}
        .panel-title{font-size:14px;font-weight:bold}
        .frame{fill:none;stroke:#888}
        .grid{stroke:#e4e4e4}
        .tick,.legend{font-size:11px;fill:#333}
        .axis-label{font-size:12px;fill:#333}
        .empty-note{font-size:13px;fill:#999}
        .series,.swatch{fill:none;stroke-width:1.6;stroke-linejoin:round;stroke-linecap:round}
        .dashed{stroke-dasharray:6 4}
        .band{fill-opacity:.75;stroke:none}
        .reference{stroke-width:1.2;stroke-dasharray:3 3}
        .marker{stroke-width:1.4}
        .predicted{stroke-dasharray:5 4}
        .marker-tag{font-size:10px}
        #cursor{stroke:#000;stroke-opacity:.4;visibility:hidden}
        """

    func svg() -> String {
        let headerHeight = 60 + 16 * Double(captions.count)
        let height = headerHeight + Layout.panelHeight * Double(max(panels.count, 1)) + 20
        let time = Scale.time(to: times.max() ?? 1)
        var svg = SVGWriter()
        let w = SVGWriter.number(Layout.width)
        let h = SVGWriter.number(height)
        svg.open(
            "svg",
            [
                "xmlns": "http://www.w3.org/2000/svg", "viewBox": "0 0 \(w) \(h)", "width": w, "height": h,
                "font-family": "DejaVu Sans, Helvetica, Arial, sans-serif", "data-panels": String(panels.count),
                "data-x0": SVGWriter.number(Layout.plotLeft), "data-x1": SVGWriter.number(Layout.plotRight),
                "data-t1": SVGWriter.number(time.upperBound),
            ])
        svg.textElement("title", [:], title)
        svg.raw("<style>\n" + Self.style + "\n</style>\n")
        svg.element("rect", ["class": "background", "width": w, "height": h])
        svg.textElement("text", ["class": "title", "x": SVGWriter.number(Layout.plotLeft), "y": "26"], title)
        svg.textElement("text", ["class": "subtitle", "x": SVGWriter.number(Layout.plotLeft), "y": "45"], subtitle)
        for (i, caption) in captions.enumerated() {
            svg.textElement(
                "text",
                [
                    "class": "caption", "x": SVGWriter.number(Layout.plotLeft),
                    "y": SVGWriter.number(62 + 16 * Double(i)),
                ],
                "Marker, " + caption)
        }
        let renderer = PanelRenderer(
            time: time, times: times, segmentStarts: timeline.segmentStarts, markers: markers)
        for (i, panel) in panels.enumerated() {
            renderer.draw(
                panel, top: headerHeight + Layout.panelHeight * Double(i), showMarkerTags: i == 0, into: &svg)
        }
        let bottom = headerHeight + Layout.panelHeight * Double(panels.count)
        svg.textElement(
            "text",
            [
                "class": "axis-label", "x": SVGWriter.number(Layout.plotLeft + Layout.plotWidth / 2),
                "y": SVGWriter.number(bottom + 4), "text-anchor": "middle",
            ], timeLabel)
        svg.element(
            "line",
            [
                "id": "cursor", "x1": "0", "x2": "0", "y1": SVGWriter.number(headerHeight),
                "y2": SVGWriter.number(bottom - Layout.ticksHeight - Layout.gap),
            ])
        svg.close("svg")
        return svg.text
    }
}
