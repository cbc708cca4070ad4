import TwloadReport

/// Where a run's words go. The library never writes to stderr itself: the CLI passes a reporter that does,
/// and tests pass one that collects.
public protocol RunReporter: Sendable {
    /// A note: one line, without the "twload: " prefix or a newline, that a user may do without (`--quiet`
    /// drops it). May come from any thread.
    func note(_ line: String)
    /// A warning: one line, without the "twload: warning: " prefix or a newline, that a user needs even with
    /// `--quiet` (a worker that cannot start, the sampler falling back to /proc). May come from any thread.
    func warning(_ line: String)
    /// The preflight block: several lines, each ending in a newline.
    func preflight(_ text: String)
    /// How to show the live status line of a run whose CSV goes to descriptor `csvDescriptor` (asked once,
    /// when the CSV is open).
    func liveStatusDisplay(csvDescriptor: Int32) -> LiveStatusDisplay
    /// The width of the terminal the status is redrawn on, when it is known (asked before each redraw, so a
    /// resized terminal is followed).
    var statusColumns: Int? { get }
    /// Writes status text as it is: a redraw (`LiveStatus.redraw`), a plain line, or the final newline.
    func liveStatus(_ text: String)
}

extension RunReporter {
    public func warning(_ line: String) { note("warning: " + line) }
    public func preflight(_ text: String) {}
    public func liveStatusDisplay(csvDescriptor: Int32) -> LiveStatusDisplay { .hidden }
    public var statusColumns: Int? { nil }
    public func liveStatus(_ text: String) {}
}
