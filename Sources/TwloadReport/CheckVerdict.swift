import TwloadModel

/// `twload check`'s answer in one line: would a run of this length exhaust its source ports or collapse
/// (connect() slowing once the even half of the range is held) before it ends? A run that would is refused,
/// so `twload check` is a cheap gate before a load test (exit status 1).
public struct CheckVerdict: Sendable, Equatable {
    /// Whether the prediction puts the collapse or the first EADDRNOTAVAIL within the run.
    public var troubleWithinRun: Bool
    /// The verdict and its reason, e.g. "twload check: FAIL: connect() would slow at 7.06 s, ...".
    public var line: String

    /// The verdict on a run of `durationSeconds` that `prediction` (and `nat`, a source NAT in the path)
    /// describes.
    public init(_ prediction: Prediction, durationSeconds: Double, nat: NatPrediction? = nil) {
        let length = "the run's \(NumberText.compact(durationSeconds)) s"
        let slow = prediction.slowConnectSeconds
        let exhausted = prediction.firstEaddrnotavailSeconds
        var reasons: [String] = []
        if let slow, slow <= durationSeconds {
            var reason =
                "connect() would slow at \(Self.seconds(slow)) (the even half of the port range held in TIME_WAIT)"
            if let rate = prediction.collapsedRate { reason += " and the rate fall to about \(Int(rate))/s" }
            reasons.append(reason)
        }
        if let exhausted, exhausted <= durationSeconds {
            reasons.append("the source ports would run out (EADDRNOTAVAIL) at \(Self.seconds(exhausted))")
        }
        let natExhausted = nat?.exhaustionSeconds
        if let natExhausted, natExhausted <= durationSeconds {
            reasons.append(
                "the NAT's \(nat?.tuples ?? 0) tuples would run out at \(Self.seconds(natExhausted)) (SYNs dropped, "
                    + "connect timeouts)")
        }
        troubleWithinRun = !reasons.isEmpty
        if troubleWithinRun {
            line = "twload check: FAIL: " + reasons.joined(separator: ", and ") + ", within \(length)"
            return
        }
        let later = [
            slow.map { "connect() would slow at \(Self.seconds($0))" },
            exhausted.map { "the ports would run out at \(Self.seconds($0))" },
            natExhausted.map { "the NAT's tuples would run out at \(Self.seconds($0))" },
        ].compactMap { $0 }
        line =
            "twload check: OK: no port exhaustion or slowdown within \(length)"
            + (later.isEmpty ? "" : " (" + later.joined(separator: " and ") + ", after it ends)")
    }

    static func seconds(_ s: Double) -> String { "\(NumberText.twoDecimals(s)) s" }
}
