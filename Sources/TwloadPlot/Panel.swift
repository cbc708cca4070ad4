/// One series of a panel: a CSV column (or a value derived from it) over the rows.
struct Series: Sendable {
    /// How the series is drawn.
    enum Style: Sendable, Equatable {
        case line
        case dashed
        /// A filled band from `lower` up to the values (a layer of a stacked chart).
        case band(lower: [Double])
    }

    /// The CSV column it comes from, for the SVG's `data-column` and tests.
    let column: String
    /// The legend's text.
    let label: String
    let color: String
    /// One value per row; nil is a gap (an empty cell, or nothing to divide by).
    let values: [Double?]
    var style: Style = .line
}

/// A horizontal line at a fixed value, e.g. a predicted plateau.
struct ReferenceLine: Sendable {
    let value: Double
    let label: String
    let color: String
}

/// A second y axis on the right of a panel, for a series whose unit differs from the panel's.
struct SecondaryAxis: Sendable {
    let label: String
    let scale: Scale
    let series: [Series]
}

/// One panel of a plot: a titled chart with its own y axis over the shared time axis.
struct Panel: Sendable {
    /// A stable id for the SVG (`panel-rate`) and for tests.
    let id: String
    let title: String
    /// The y axis' title, with its unit.
    let yLabel: String
    let scale: Scale
    var tickUnit: TickUnit = .plain
    var series: [Series]
    var references: [ReferenceLine] = []
    var secondary: SecondaryAxis? = nil
    /// Said inside the panel when it has nothing to draw.
    var emptyNote: String = "no column of this panel in the CSV"
    /// Said inside the panel when every value it has is 0 (e.g. "no errors"); nil to say nothing.
    var zeroNote: String? = nil
}

/// A vertical line across every panel at a moment of the run, e.g. the first EADDRNOTAVAIL.
struct Marker: Sendable, Equatable {
    /// Short text at the top of the line ("EADDRNOTAVAIL").
    let tag: String
    /// What the caption says: "first EADDRNOTAVAIL, measured".
    let caption: String
    let seconds: Double
    let color: String
    /// A prediction is dashed, a measurement solid.
    let predicted: Bool
    /// The row of its tag above the plot; nil for its place among the markers (each marker its own row).
    var tagRow: Int? = nil
}

/// Colours of the series, chosen to stay apart for common colour blindness (Tableau 10).
enum Palette {
    static let blue = "#1f77b4"
    static let orange = "#ff7f0e"
    static let green = "#2ca02c"
    static let red = "#d62728"
    static let purple = "#9467bd"
    static let brown = "#8c564b"
    static let pink = "#e377c2"
    static let grey = "#7f7f7f"
    static let olive = "#bcbd22"
    static let cyan = "#17becf"
    static let black = "#222222"
    /// In order, for a panel whose series have no fixed colour.
    static let cycle = [blue, orange, green, red, purple, brown, pink, grey, olive, cyan]
}
