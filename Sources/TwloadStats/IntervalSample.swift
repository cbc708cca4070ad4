import Synchronization

/// What one thread observed during one interval. Published once per interval, never per event.
public struct IntervalSample: Sendable {
    /// Interval number, from 0.
    public var index: Int
    /// Monotonic time at which the interval's data ends.
    public var endNanos: Int64
    public var counters: IntervalCounters
    public var latency: LatencyHistograms
    /// Open connections at the end of the interval.
    public var open: Int
    /// Attempts due by the end of the interval that had not been taken (started or missed) yet.
    public var backlog: Int
    /// The thread's last sample (the run ended).
    public var isFinal: Bool

    public init(
        index: Int, endNanos: Int64, counters: IntervalCounters, latency: LatencyHistograms, open: Int,
        backlog: Int = 0, isFinal: Bool
    ) {
        self.index = index
        self.endNanos = endNanos
        self.counters = counters
        self.latency = latency
        self.open = open
        self.backlog = backlog
        self.isFinal = isFinal
    }
}

/// A thread's outbox of interval samples. The worker posts under a lock once per interval; the recorder
/// takes them. This is the only point where worker and recorder touch shared state.
public final class SampleMailbox: Sendable {
    private let queue = Mutex<[IntervalSample]>([])

    public init() {}

    public func post(_ sample: IntervalSample) {
        queue.withLock { $0.append(sample) }
    }

    /// Removes and returns the sample for interval `index` (and any final sample) if present.
    public func take(index: Int) -> IntervalSample? {
        queue.withLock { q in
            guard let i = q.firstIndex(where: { $0.index == index }) else { return nil }
            return q.remove(at: i)
        }
    }
}
