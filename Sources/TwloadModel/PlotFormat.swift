/// The file a plot is written as, chosen by the output's extension.
public enum PlotFormat: String, Sendable, CaseIterable {
    /// A standalone SVG image (what the README embeds).
    case svg
    /// An HTML5 page with the same SVG inline, a little CSS, and a cursor that reads the time under the mouse.
    case html

    /// The format for an output path by its extension (`.svg`, `.html` or `.htm`, any case); nil otherwise.
    public init?(path: String) {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        switch name[name.index(after: dot)...].lowercased() {
        case "svg": self = .svg
        case "html", "htm": self = .html
        default: return nil
        }
    }
}
