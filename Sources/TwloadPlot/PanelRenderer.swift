/// Where things go on the page, in SVG user units (pixels at 100 %).
enum Layout {
    static let width = 1000.0
    static let plotLeft = 80.0
    static let plotWidth = 610.0
    static var plotRight: Double { plotLeft + plotWidth }
    /// The legend starts right of the secondary axis' labels.
    static var legendLeft: Double { plotRight + 66 }
    static let titleHeight = 26.0
    static let plotHeight = 170.0
    /// Below the plot: the time axis' tick labels.
    static let ticksHeight = 22.0
    static let gap = 12.0
    static var panelHeight: Double { titleHeight + plotHeight + ticksHeight + gap }
    static let legendRow = 15.0
}

/// Draws one panel: frame, grid, both axes' ticks, reference lines, series, marker lines and legend.
struct PanelRenderer {
    let time: Scale
    let times: [Double]
    /// Rows that no line joins to the row before (the first row of each probe of a find).
    var segmentStarts: Set<Int> = []
    let markers: [Marker]

    /// The x of a moment of the run.
    func x(_ seconds: Double) -> Double { Layout.plotLeft + Layout.plotWidth * time.fraction(seconds) }

    /// Draws `panel` with its top edge at `top`; `showMarkerTags` puts the markers' short texts above the
    /// plot (the top panel only, so they are not repeated).
    func draw(_ panel: Panel, top: Double, showMarkerTags: Bool, into svg: inout SVGWriter) {
        let plotTop = top + Layout.titleHeight
        let plotBottom = plotTop + Layout.plotHeight
        func y(_ v: Double, _ scale: Scale) -> Double { plotBottom - Layout.plotHeight * scale.fraction(v) }

        svg.open("g", ["class": "panel", "id": "panel-\(panel.id)", "data-title": panel.title])
        svg.textElement(
            "text", ["class": "panel-title", "x": SVGWriter.number(Layout.plotLeft), "y": SVGWriter.number(top + 17)],
            panel.title)
        svg.element(
            "rect",
            [
                "class": "frame", "x": SVGWriter.number(Layout.plotLeft), "y": SVGWriter.number(plotTop),
                "width": SVGWriter.number(Layout.plotWidth), "height": SVGWriter.number(Layout.plotHeight),
            ])
        // The time axis: grid and labels.
        for tick in time.ticks() {
            let tx = SVGWriter.number(x(tick.value))
            svg.element(
                "line",
                [
                    "class": "grid", "x1": tx, "x2": tx, "y1": SVGWriter.number(plotTop),
                    "y2": SVGWriter.number(plotBottom),
                ])
            svg.textElement(
                "text", ["class": "tick", "x": tx, "y": SVGWriter.number(plotBottom + 15), "text-anchor": "middle"],
                tick.label)
        }
        // The y axis.
        for tick in panel.scale.ticks(unit: panel.tickUnit) {
            let ty = SVGWriter.number(y(tick.value, panel.scale))
            svg.element(
                "line",
                [
                    "class": "grid", "x1": SVGWriter.number(Layout.plotLeft),
                    "x2": SVGWriter.number(Layout.plotRight), "y1": ty, "y2": ty,
                ])
            svg.textElement(
                "text",
                [
                    "class": "tick", "x": SVGWriter.number(Layout.plotLeft - 6), "y": ty, "dy": "4",
                    "text-anchor": "end",
                ], tick.label)
        }
        let middle = SVGWriter.number(plotTop + Layout.plotHeight / 2)
        svg.textElement(
            "text",
            [
                "class": "axis-label", "x": "18", "y": middle, "text-anchor": "middle",
                "transform": "rotate(-90 18 \(middle))",
            ], panel.yLabel)

        if let secondary = panel.secondary {
            for tick in secondary.scale.ticks() {
                let ty = SVGWriter.number(y(tick.value, secondary.scale))
                svg.textElement(
                    "text", ["class": "tick", "x": SVGWriter.number(Layout.plotRight + 6), "y": ty, "dy": "4"],
                    tick.label)
            }
            let ax = Layout.plotRight + 56
            svg.textElement(
                "text",
                [
                    "class": "axis-label", "x": SVGWriter.number(ax), "y": middle, "text-anchor": "middle",
                    "transform": "rotate(-90 \(SVGWriter.number(ax)) \(middle))",
                ], secondary.label)
        }

        for reference in panel.references {
            let ry = SVGWriter.number(y(reference.value, panel.scale))
            svg.element(
                "line",
                [
                    "class": "reference", "x1": SVGWriter.number(Layout.plotLeft),
                    "x2": SVGWriter.number(Layout.plotRight), "y1": ry, "y2": ry, "stroke": reference.color,
                ])
        }

        var drewSomething = false
        for series in panel.series {
            drewSomething = draw(series, scale: panel.scale, plotBottom: plotBottom, into: &svg) || drewSomething
        }
        for series in panel.secondary?.series ?? [] {
            let scale = panel.secondary?.scale ?? panel.scale
            drewSomething = draw(series, scale: scale, plotBottom: plotBottom, into: &svg) || drewSomething
        }
        let allZero = panel.series.allSatisfy { $0.values.allSatisfy { ($0 ?? 0) == 0 } }
        if let note = panel.zeroNote, drewSomething, allZero {
            svg.textElement(
                "text",
                [
                    "class": "empty-note", "x": SVGWriter.number(Layout.plotLeft + Layout.plotWidth / 2),
                    "y": middle, "text-anchor": "middle",
                ], note)
        }
        if !drewSomething {
            svg.textElement(
                "text",
                [
                    "class": "empty-note", "x": SVGWriter.number(Layout.plotLeft + Layout.plotWidth / 2),
                    "y": middle, "text-anchor": "middle",
                ], panel.emptyNote)
        }

        drawMarkers(top: plotTop, bottom: plotBottom, tags: showMarkerTags, into: &svg)
        drawLegend(panel, top: plotTop, into: &svg)
        svg.close("g")
    }

    /// One `<path>` for a series (several subpaths when it has gaps); whether it had any value.
    private func draw(_ series: Series, scale: Scale, plotBottom: Double, into svg: inout SVGWriter) -> Bool {
        func y(_ v: Double) -> Double { plotBottom - Layout.plotHeight * scale.fraction(v) }
        var path = PathBuilder()
        var any = false
        switch series.style {
        case .line, .dashed:
            for (i, value) in series.values.enumerated() where i < times.count {
                if segmentStarts.contains(i) { path.lift() }
                guard let v = value else {
                    path.lift()
                    continue
                }
                any = true
                path.add(x(times[i]), y(v))
            }
            path.lift()
        case .band(let lower):
            // Each run of rows with a value is one closed outline: along the top, then back along the bottom.
            var start = 0
            while start < series.values.count {
                guard series.values[start] != nil else {
                    start += 1
                    continue
                }
                var end = start
                while end + 1 < series.values.count, series.values[end + 1] != nil, !segmentStarts.contains(end + 1) {
                    end += 1
                }
                let rows = start...min(end, times.count - 1, lower.count - 1)
                for i in rows { path.add(x(times[i]), y(lower[i] + (series.values[i] ?? 0))) }
                for i in rows.reversed() { path.add(x(times[i]), y(lower[i])) }
                path.lift(closing: true)
                any = true
                start = end + 1
            }
        }
        guard any else { return false }
        switch series.style {
        case .line:
            svg.element(
                "path",
                [
                    "class": "series", "data-column": series.column, "stroke": series.color,
                    "d": path.data,
                ])
        case .dashed:
            svg.element(
                "path",
                [
                    "class": "series dashed", "data-column": series.column, "stroke": series.color,
                    "d": path.data,
                ])
        case .band:
            svg.element(
                "path",
                [
                    "class": "band", "data-column": series.column, "fill": series.color,
                    "d": path.data,
                ])
        }
        return true
    }

    /// The marker lines inside the plot, and (top panel) their tags above it, staggered so neighbours do not
    /// overlap.
    private func drawMarkers(top: Double, bottom: Double, tags: Bool, into svg: inout SVGWriter) {
        for (i, marker) in markers.enumerated() {
            guard marker.seconds >= 0, marker.seconds <= time.upperBound else { continue }
            let mx = SVGWriter.number(x(marker.seconds))
            svg.element(
                "line",
                [
                    "class": marker.predicted ? "marker predicted" : "marker", "x1": mx, "x2": mx,
                    "y1": SVGWriter.number(top), "y2": SVGWriter.number(bottom), "stroke": marker.color,
                    "data-marker": marker.caption,
                ])
            if tags {
                let nearRight = x(marker.seconds) > Layout.plotRight - 120
                svg.textElement(
                    "text",
                    [
                        "class": "marker-tag", "x": SVGWriter.number(x(marker.seconds) + (nearRight ? -3 : 3)),
                        "y": SVGWriter.number(top + 11 + Double(marker.tagRow ?? i) * 12), "fill": marker.color,
                        "text-anchor": nearRight ? "end" : "start",
                    ], marker.tag)
            }
        }
    }

    /// The legend right of the plot: one row per series (the top of a stack first), then reference lines.
    private func drawLegend(_ panel: Panel, top: Double, into svg: inout SVGWriter) {
        var entries: [(label: String, color: String, kind: String)] = []
        let stacked = panel.series.contains { if case .band = $0.style { true } else { false } }
        for s in stacked ? panel.series.reversed() : panel.series {
            let kind: String
            switch s.style {
            case .line: kind = "line"
            case .dashed: kind = "dashed"
            case .band: kind = "band"
            }
            entries.append((s.label, s.color, kind))
        }
        for s in panel.secondary?.series ?? [] { entries.append((s.label, s.color, "dashed")) }
        for r in panel.references { entries.append((r.label, r.color, "reference")) }
        let left = Layout.legendLeft
        for (i, entry) in entries.enumerated() {
            let rowY = top + 8 + Double(i) * Layout.legendRow
            let ly = SVGWriter.number(rowY)
            if entry.kind == "band" {
                svg.element(
                    "rect",
                    [
                        "x": SVGWriter.number(left), "y": SVGWriter.number(rowY - 5), "width": "18",
                        "height": "10", "fill": entry.color, "class": "band",
                    ])
            } else {
                svg.element(
                    "line",
                    [
                        "class": entry.kind == "line" ? "swatch" : "swatch dashed", "x1": SVGWriter.number(left),
                        "x2": SVGWriter.number(left + 18), "y1": ly, "y2": ly, "stroke": entry.color,
                    ])
            }
            svg.textElement(
                "text", ["class": "legend", "x": SVGWriter.number(left + 24), "y": ly, "dy": "4"], entry.label)
        }
    }
}
