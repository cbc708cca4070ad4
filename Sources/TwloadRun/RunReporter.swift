/// Where a run's words go. The library never writes to stderr itself: the CLI passes a reporter that does,
/// and tests pass one that collects.
public protocol RunReporter: Sendable {
    /// A note or warning: one line, without the "twload: " prefix or a newline. May come from any thread
    /// (a worker that cannot start, the sampler falling back to /proc).
    func note(_ line: String)
    /// The preflight block: several lines, each ending in a newline.
    func preflight(_ text: String)
    /// Whether to show a live status line (the CLI: when stderr is a terminal).
    var wantsLiveStatus: Bool { get }
    /// The status after an interval, replacing the one before.
    func liveStatus(_ line: String)
    /// The run is over; the status line stays as it is.
    func endLiveStatus()
}

extension RunReporter {
    public func preflight(_ text: String) {}
    public var wantsLiveStatus: Bool { false }
    public func liveStatus(_ line: String) {}
    public func endLiveStatus() {}
}
