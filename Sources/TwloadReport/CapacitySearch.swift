import TwloadModel

/// The rates `twload find` probes: the minimum first, then doubling while probes hold (up to the maximum),
/// then bisecting between the highest rate that held and the lowest that failed, until the failed one is
/// within `resolution` of the held one. Pure bookkeeping: the caller runs each probe and records it.
public struct CapacitySearch: Sendable, Equatable {
    public let minimum: Double
    public let maximum: Double
    /// A fraction: the search ends once `lowestFailed ≤ highestHeld × (1 + resolution)`.
    public let resolution: Double
    /// The step-up factor between probes before the first failure.
    public static let growth = 2.0

    /// The highest rate that held so far, and the lowest that failed.
    public private(set) var highestHeld: Double?
    public private(set) var lowestFailed: Double?

    public init(minimum: Double, maximum: Double, resolution: Double) {
        self.minimum = minimum
        self.maximum = maximum
        self.resolution = resolution
    }

    /// The next rate to probe, or nil when the search is over: the minimum failed, the maximum held, or the
    /// bracket is within the resolution (or too narrow for a rounded rate between its ends).
    public var nextRate: Double? {
        guard let held = highestHeld else { return lowestFailed == nil ? minimum : nil }
        guard let failed = lowestFailed else {
            return held >= maximum ? nil : min(maximum, Self.rounded(held * Self.growth))
        }
        guard failed > held * (1 + resolution) else { return nil }
        let middle = Self.rounded((held + failed) / 2)
        return middle > held && middle < failed ? middle : nil
    }

    /// Records a probe's verdict at `rate`. A rate that held above one that failed (a noisy path) still
    /// counts: the bracket keeps the highest held and the lowest failed rate above it.
    public mutating func record(rate: Double, held: Bool) {
        if held {
            highestHeld = max(highestHeld ?? rate, rate)
            if let f = lowestFailed, f <= rate { lowestFailed = nil }
        } else if rate > (highestHeld ?? 0) {
            lowestFailed = min(lowestFailed ?? rate, rate)
        }
    }

    /// Whether the search stopped because the maximum itself held.
    public var heldAtMaximum: Bool { (highestHeld ?? 0) >= maximum }

    /// A rate as the search writes it: `rounded`, without a needless fraction ("16.7", "2000").
    public static func text(_ rate: Double) -> String { NumberText.compact(rounded(rate)) }

    /// A probe rate as people write it: whole numbers from 100/s, three significant digits below.
    public static func rounded(_ rate: Double) -> Double {
        if rate >= 100 { return rate.rounded() }
        var scale = 1.0
        while rate * scale < 100 && scale < 1e6 { scale *= 10 }
        return (rate * scale).rounded() / scale
    }
}
