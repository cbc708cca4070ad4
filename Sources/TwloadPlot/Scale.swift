import Glibc
import TwloadModel

/// One tick of an axis: where it sits (in data units) and its label.
struct Tick: Sendable, Equatable {
    let value: Double
    let label: String
}

/// How data values map onto one axis of a panel, and where its ticks go.
enum Scale: Sendable, Equatable {
    /// Linear from `low` to `high`, ticks every `step` (1, 2 or 5 times a power of ten).
    case linear(low: Double, high: Double, step: Double)
    /// Base-10 logarithmic from 10^`lowDecade` to 10^`highDecade`, a tick per decade.
    case log(lowDecade: Int, highDecade: Int)

    /// A linear scale from 0 (or below, for negative data) to at least `maxValue`, with about `targetTicks`
    /// ticks at 1-2-5 steps. An all-zero or empty range still gets an axis from 0 to 1.
    static func linear(from minValue: Double = 0, to maxValue: Double, targetTicks: Int = 5) -> Scale {
        let low = min(0, minValue.isFinite ? minValue : 0)
        var high = maxValue.isFinite ? maxValue : 1
        if high <= low { high = low + 1 }
        let step = niceStep((high - low) / Double(max(1, targetTicks)))
        return .linear(low: (low / step).rounded(.down) * step, high: (high / step).rounded(.up) * step, step: step)
    }

    /// A time axis: from 0 to exactly `maxValue` (the last row), with 1-2-5 ticks inside it.
    static func time(to maxValue: Double, targetTicks: Int = 10) -> Scale {
        let high = maxValue.isFinite && maxValue > 0 ? maxValue : 1
        return .linear(low: 0, high: high, step: niceStep(high / Double(max(1, targetTicks))))
    }

    /// A log scale whose decades cover `minValue`...`maxValue` (positive values; at least two decades).
    /// `floor` is the lowest decade shown: smaller values sit on it.
    static func log(from minValue: Double, to maxValue: Double, floorDecade: Int = 0) -> Scale {
        let lowValue = minValue.isFinite && minValue > 0 ? minValue : 1
        let highValue = maxValue.isFinite && maxValue > 0 ? maxValue : 1
        var low = max(floorDecade, Int(log10(lowValue).rounded(.down)))
        var high = max(low, Int(log10(highValue).rounded(.up)))
        low = min(low, 12)
        high = min(max(high, low + 2), 15)
        return .log(lowDecade: low, highDecade: high)
    }

    /// The value at the top (or right end) of the axis.
    var upperBound: Double {
        switch self {
        case .linear(_, let high, _): high
        case .log(_, let highDecade): Self.pow10(highDecade)
        }
    }

    /// The smallest of 1, 2, 5 × 10^k that is at least `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw.isFinite, raw > 0 else { return 1 }
        let power = pow10(Int(log10(raw).rounded(.down)))
        for m in [1.0, 2, 5, 10] where m * power >= raw * (1 - 1e-9) { return m * power }
        return 10 * power
    }

    /// Where `value` falls between the axis ends: 0 at the bottom, 1 at the top (values outside are
    /// clamped, a log axis puts values at or below its floor on the floor).
    func fraction(_ value: Double) -> Double {
        let f: Double
        switch self {
        case .linear(let low, let high, _):
            f = (value - low) / (high - low)
        case .log(let lowDecade, let highDecade):
            guard value > 0 else { return 0 }
            f = (log10(value) - Double(lowDecade)) / Double(highDecade - lowDecade)
        }
        return min(1, max(0, f))
    }

    /// The ticks with labels: 1-2-5 steps, or one per decade ("1 µs", "10 µs" … "1 s" with `unit` µs).
    func ticks(unit: TickUnit = .plain) -> [Tick] {
        switch self {
        case .linear(let low, let high, let step):
            // Ticks stop at the last step inside the axis (a time axis ends at the last row, not a step).
            let count = Int(((high - low) / step + 1e-9).rounded(.down))
            return (0...max(0, min(count, 100))).map { i in
                let v = low + Double(i) * step
                return Tick(value: v, label: unit.label(v))
            }
        case .log(let lowDecade, let highDecade):
            return (lowDecade...highDecade).map { d in
                let v = Self.pow10(d)
                return Tick(value: v, label: unit.label(v))
            }
        }
    }

    /// 10^k, exactly for the powers an axis uses.
    static func pow10(_ k: Int) -> Double {
        var v = 1.0
        if k >= 0 {
            for _ in 0..<min(k, 300) { v *= 10 }
        } else {
            for _ in 0..<min(-k, 300) { v /= 10 }
        }
        return v
    }
}

/// How tick labels are written.
enum TickUnit: Sendable {
    /// Plain numbers with thousands kept short ("0", "500", "15k", "1.5M").
    case plain
    /// Microseconds as "10 µs", "1 ms", "1 s".
    case microseconds

    func label(_ v: Double) -> String {
        switch self {
        case .plain:
            let a = v.magnitude
            if a >= 1e6 { return NumberText.compact(v / 1e6) + "M" }
            if a >= 1e4 { return NumberText.compact(v / 1e3) + "k" }
            return NumberText.compact(v)
        case .microseconds:
            if v >= 1e6 { return NumberText.compact(v / 1e6) + " s" }
            if v >= 1e3 { return NumberText.compact(v / 1e3) + " ms" }
            return NumberText.compact(v) + " µs"
        }
    }
}
