/// The three latency distributions of one interval, in microseconds, as log-linear histograms so that
/// intervals, threads and (later) machines merge exactly.
public struct LatencyHistograms: Sendable {
    /// From the scheduled start of an attempt to the completed handshake (no coordinated omission).
    public var connect: LatencyHistogram
    /// Time spent inside the connect() system call (the kernel's source-port search).
    public var connectCall: LatencyHistogram
    /// How late each attempt started against its schedule.
    public var lag: LatencyHistogram

    /// Largest recordable value: one hour in microseconds. Larger values are clamped to it.
    public static let highestMicros: UInt64 = 3_600_000_000

    public init() {
        connect = LatencyHistogram(highest: Self.highestMicros)
        connectCall = connect
        lag = connect
    }

    /// Records nanoseconds as microseconds, clamped to the trackable range.
    @inline(__always)
    public static func record(_ h: inout LatencyHistogram, nanos: Int64) {
        h.record(micros(nanos, clampedTo: highestMicros))
    }

    /// A duration in nanoseconds as whole microseconds, negative as 0 and at most `highest`.
    @inlinable @inline(__always)
    public static func micros(_ nanos: Int64, clampedTo highest: UInt64) -> UInt64 {
        let us = nanos <= 0 ? 0 : UInt64(nanos / 1000)
        return us < highest ? us : highest
    }

    public mutating func merge(_ o: LatencyHistograms) {
        connect.add(o.connect)
        connectCall.add(o.connectCall)
        lag.add(o.lag)
    }

    init(connect: LatencyHistogram, connectCall: LatencyHistogram, lag: LatencyHistogram) {
        self.connect = connect
        self.connectCall = connectCall
        self.lag = lag
    }

    public mutating func reset() {
        connect.reset()
        connectCall.reset()
        lag.reset()
    }
}
