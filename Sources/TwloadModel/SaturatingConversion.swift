extension Int64 {
    /// `value` rounded toward zero and clamped to Int64's range; NaN is 0. For figures derived from input
    /// (rates, durations, counts), where `Int64(_:)` would trap on a value out of range.
    @inlinable
    public init(saturating value: Double) {
        if value.isNaN {
            self = 0
        } else if value >= 0x1p63 {
            self = .max
        } else if value <= -0x1p63 {
            self = .min
        } else {
            self.init(value)
        }
    }
}

extension Int {
    /// `value` rounded toward zero and clamped to Int's range; NaN is 0 (see `Int64(saturating:)`).
    @inlinable
    public init(saturating value: Double) {
        self = Int(Int64(saturating: value))
    }
}
