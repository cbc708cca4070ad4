/// What `--rate` (or a profile's `rate`) asks for: one rate, a range to ramp across with `--ramp D`
/// (`1000..20000`), or a list of stages each held for `--step D` (`1000,2000,4000`).
public enum RateSpec: Sendable, Equatable {
    case constant(Double)
    case ramp(from: Double, to: Double)
    case steps([Double])

    /// The highest rate it asks for.
    public var peak: Double {
        switch self {
        case .constant(let r): r
        case .ramp(let a, let b): max(a, b)
        case .steps(let rates): rates.max() ?? 0
        }
    }
}
