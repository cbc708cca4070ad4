/// Cumulative counters of the built-in server, published as snapshots (the recorder takes differences).
public struct ServerCounters: Sendable, Equatable {
    public var accepted = 0
    /// The server sent the first FIN.
    public var activeCloses = 0
    /// The client's FIN arrived first.
    public var passiveCloses = 0
    /// Connections the client reset (RST), e.g. with --linger 0.
    public var resets = 0
    /// accept() or I/O errors other than resets.
    public var errors = 0
    public var open = 0
    /// Responses written (in http, several per connection when it is kept alive).
    public var requests = 0

    public init() {}

    /// `self - earlier` for the per-interval counts (`open` stays a gauge).
    public func since(_ earlier: ServerCounters) -> ServerCounters {
        var d = ServerCounters()
        d.accepted = accepted - earlier.accepted
        d.activeCloses = activeCloses - earlier.activeCloses
        d.passiveCloses = passiveCloses - earlier.passiveCloses
        d.resets = resets - earlier.resets
        d.errors = errors - earlier.errors
        d.open = open
        d.requests = requests - earlier.requests
        return d
    }
}
