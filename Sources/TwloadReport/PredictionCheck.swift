import TwloadModel

/// One prediction set beside what the run measured.
public struct PredictionComparison: Sendable, Equatable {
    /// How the two figures relate.
    public enum Verdict: String, Sendable {
        /// Within 25 % of each other (or both "none").
        case agrees
        /// More than 25 % apart, or one happened and the other did not.
        case differs
        /// The prediction falls after the run's end and nothing was measured: the run was too short to tell.
        case beyondRun = "beyond the run"
    }

    /// The run metric the measured figure is (`first_eaddrnotavail_s`, `collapsed_rate`, …).
    public let metric: String
    /// What it is, in the summary's words.
    public let label: String
    public let unit: MetricUnit
    /// nil: the prediction says it does not happen (or has no figure).
    public let predicted: Double?
    /// nil: it did not happen in the run (or was not measured).
    public let measured: Double?
    public let verdict: Verdict
    /// Why they differ, when they do: the likeliest reason, in one clause.
    public let reason: String?
}

/// Sets each prediction beside the measured figure: the first EADDRNOTAVAIL, the collapse (connect()
/// slow), the collapsed rate, and the TIME_WAIT peak of each side. Figures more than 25 % apart are called
/// out with their likeliest reason.
public enum PredictionCheck {
    /// Relative difference above which a prediction and its measurement are said to differ.
    public static let tolerance = 0.25

    public static func compare(_ t: RunTotals, _ d: RunDescription) -> [PredictionComparison] {
        guard let p = d.prediction else { return [] }
        let runSeconds = min(t.scheduledSeconds, t.elapsedSeconds)
        let reuse = t.timeWaitRecycled > 0 || p.reuseApplies
        var out: [PredictionComparison] = []
        let collapsed = t.collapsedRate
        // The collapsed rate fell well below the model's: everything after the collapse happens later.
        var fellFurther: String?
        if let c = collapsed, let pc = p.collapsedRate, c < pc * (1 - tolerance) {
            fellFurther =
                "the rate after the collapse was lower than predicted (\(NumberText.compact(c.rounded()))/s, not "
                + "\(NumberText.compact(pc.rounded()))/s)"
        }

        let measuredFirst = t.firstEaddrnotavailSeconds
        out.append(
            time(
                "first_eaddrnotavail_s", "first EADDRNOTAVAIL", predicted: p.firstEaddrnotavailSeconds,
                measured: measuredFirst, runSeconds: runSeconds,
                reason: {
                    if let fellFurther, measuredFirst.map({ $0 > (p.firstEaddrnotavailSeconds ?? 0) }) ?? true {
                        return fellFurther + ", so the rest of the port range filled later"
                    }
                    if measuredFirst == nil {
                        return t.counters.established < Int(d.rate * runSeconds * 0.75)
                            ? "fewer connections were made than scheduled, so the ports lasted longer"
                            : "the ports lasted longer than the model's port budget says (reuse or a wider range)"
                    }
                    if let pf = p.firstEaddrnotavailSeconds, let m = measuredFirst, m > pf {
                        return "the ports lasted longer than the model's budget (reuse, or fewer connections)"
                    }
                    return "the port budget was smaller than predicted (other sockets held ports)"
                }))

        let measuredSlow = t.firstSlowIntervalStart
        // io_uring makes no connect() call to time: there is nothing to hold the prediction against.
        if d.timesConnectCalls {
            out.append(
                time(
                    "first_slow_connect_s", "connect() slow (collapse)", predicted: p.slowConnectSeconds,
                    measured: measuredSlow, runSeconds: runSeconds,
                    reason: {
                        if p.slowConnectSeconds == nil {
                            return
                                "connect() was slow for a reason the port model does not cover (a busy CPU, a small range)"
                        }
                        if measuredSlow == nil {
                            return reuse
                                ? "TIME_WAIT reuse freed ports before the even half was held"
                                : "fewer ports were held than the model assumes"
                        }
                        return
                            "the CSV's intervals are \(NumberText.compact(t.intervalSeconds)) s long, so the measured "
                            + "onset is the start of the interval it fell in"
                    }))
        }

        if let slow = p.slowConnectSeconds, slow >= runSeconds, collapsed == nil {
            // The collapse itself is predicted after the run's end: so is the rate after it.
            out.append(
                PredictionComparison(
                    metric: "collapsed_rate", label: "collapsed rate", unit: .perSecond, predicted: p.collapsedRate,
                    measured: nil, verdict: .beyondRun, reason: nil))
        } else if p.collapsedRate != nil || collapsed != nil {
            out.append(
                figure(
                    "collapsed_rate", "collapsed rate", .perSecond, predicted: p.collapsedRate, measured: collapsed,
                    reason: {
                        guard let c = collapsed, let pr = p.collapsedRate else {
                            if collapsed != nil { return "the prediction foresaw no collapse" }
                            return measuredSlow == nil
                                ? "no collapse was measured"
                                : "the run ended before a full interval after the collapse"
                        }
                        return "the model's \(NumberText.compact(Prediction.collapsedRatePerThread))/s per thread "
                            + "is the reference machine's port search; this one's is "
                            + (c > pr ? "faster" : "slower") + " (CPU speed, load, or the other half of the range)"
                    }))
        }

        let expectedClient = expectedPeak(steady: p.steadyClientTimeWait, p: p, d: d, runSeconds: runSeconds)
        let expectedServer = expectedPeak(steady: p.steadyServerTimeWait, p: p, d: d, runSeconds: runSeconds)
        let reasonTW: (Int?, Int) -> String = { measured, expected in
            if t.timeWaitRecycled > 0 { return "tcp_tw_reuse took over \(t.timeWaitRecycled) TIME_WAIT 4-tuples" }
            if t.timeWaitOverflow > 0 { return "tcp_max_tw_buckets destroyed \(t.timeWaitOverflow) TIME_WAIT sockets" }
            if let fellFurther, let m = measured, m < expected {
                return fellFurther + ", so fewer connections entered TIME_WAIT"
            }
            if t.achievedRate < d.rate * (1 - tolerance) {
                return
                    "the run established fewer connections than scheduled (\(NumberText.oneDecimal(t.achievedRate))/s)"
            }
            if measured == nil { return "not measured (no census of this side)" }
            if let m = measured, m > expected {
                return "more sockets than this run's connections: the census counts other sockets toward the "
                    + "target too, or this side closed first more often than the close side says (timeouts)"
            }
            return "the other side closed some connections first"
        }
        // This run's own TIME_WAIT when the census could tell it apart (sock_diag); otherwise the namespace's
        // count toward the target, which includes earlier runs' sockets, under its own metric and label.
        let sides: [(own: Int?, all: Int?, side: String, expected: Int)] = [
            (t.peakRunTimeWaitClient, t.peakTimeWaitClient, "client", expectedClient),
            (t.peakRunTimeWaitServer, t.peakTimeWaitServer, "server", expectedServer),
        ]
        if let nat = d.nat, nat.tuples != nil {
            out.append(
                time(
                    "first_connect_timeout_s", "NAT exhaustion (first connect timeout)",
                    predicted: nat.exhaustionSeconds, measured: t.firstConnectTimeoutSeconds, runSeconds: runSeconds,
                    reason: {
                        if nat.exhaustionSeconds == nil {
                            return nat.serverTimeWaitCollides
                                ? "SYNs that met the server's TIME_WAIT for a reused NAT tuple timed out, which the "
                                    + "exhaustion model does not count"
                                : "SYNs went unanswered for a reason the NAT model does not cover"
                        }
                        if t.firstConnectTimeoutSeconds == nil {
                            return "no SYN timed out (a longer --connect-timeout?)"
                        }
                        return "the NAT's tuples lasted longer or shorter than rate × lifetime says"
                    }))
        }
        for s in sides {
            guard let measured = s.own ?? s.all else { continue }
            let own = s.own != nil
            out.append(
                figure(
                    own ? "peak_tw_\(s.side)_own" : "peak_tw_\(s.side)",
                    own ? "\(s.side) TIME_WAIT peak" : "\(s.side) TIME_WAIT peak (other runs' sockets included)",
                    .gauge, predicted: Double(s.expected), measured: Double(measured),
                    reason: { reasonTW(measured, s.expected) }))
        }
        return out
    }

    /// The TIME_WAIT peak a run of `runSeconds` should reach: the steady population (reached after 60 s),
    /// or, for a shorter run, the connections the model expects it to make: the full rate until the
    /// predicted collapse, the collapsed rate after it, and nothing new once the ports are exhausted.
    static func expectedPeak(steady: Int, p: Prediction, d: RunDescription, runSeconds: Double) -> Int {
        guard steady > 0 else { return 0 }
        let window = min(runSeconds, Prediction.timeWaitSeconds)
        var connections = d.rate * window
        if let slow = p.slowConnectSeconds, slow < window {
            let end = min(window, p.firstEaddrnotavailSeconds ?? window)
            connections = d.rate * slow + (p.collapsedRate ?? d.rate) * max(0, end - slow)
        } else if let exhausted = p.firstEaddrnotavailSeconds, exhausted < window {
            connections = d.rate * exhausted
        }
        return Int(min(Double(steady), connections.rounded()))
    }

    /// A moment in the run: agreement within 25 %, "beyond the run" when predicted after its end.
    static func time(
        _ metric: String, _ label: String, predicted: Double?, measured: Double?, runSeconds: Double,
        reason: () -> String
    ) -> PredictionComparison {
        if measured == nil, predicted == nil || predicted! >= runSeconds {
            let verdict: PredictionComparison.Verdict = predicted == nil ? .agrees : .beyondRun
            return PredictionComparison(
                metric: metric, label: label, unit: .seconds, predicted: predicted, measured: nil, verdict: verdict,
                reason: nil)
        }
        return figure(metric, label, .seconds, predicted: predicted, measured: measured, reason: reason)
    }

    /// Two figures, agreeing when within 25 % of the predicted one (both 0, or both absent, agree).
    static func figure(
        _ metric: String, _ label: String, _ unit: MetricUnit, predicted: Double?, measured: Double?,
        reason: () -> String
    ) -> PredictionComparison {
        var agrees = false
        switch (predicted, measured) {
        case (nil, nil): agrees = true
        case (let p?, let m?): agrees = p == m || abs(m - p) <= tolerance * max(abs(p), 1e-9)
        default: agrees = false
        }
        return PredictionComparison(
            metric: metric, label: label, unit: unit, predicted: predicted, measured: measured,
            verdict: agrees ? .agrees : .differs, reason: agrees ? nil : reason())
    }

    /// "collapsed rate: predicted 500/s, measured 930/s (differs by 86 %: …)", for the summary.
    public static func line(_ c: PredictionComparison) -> String {
        let text = { (v: Double?) -> String in
            guard let v else { return "none" }
            switch c.unit {
            case .seconds: return "\(NumberText.twoDecimals(v)) s"
            case .perSecond: return "\(NumberText.compact(v.rounded()))/s"
            default: return NumberText.compact(v.rounded())
            }
        }
        return "\(c.label): predicted \(text(c.predicted)), measured \(text(c.measured))" + verdictText(c)
    }

    /// " (agrees)", " (differs by 86 %: reason)", " (predicted after the run's end)", or "" when both are none.
    public static func verdictText(_ c: PredictionComparison) -> String {
        switch c.verdict {
        case .agrees:
            return c.predicted == nil && c.measured == nil ? "" : " (agrees)"
        case .beyondRun:
            return " (predicted after the run's end)"
        case .differs:
            if let p = c.predicted, let m = c.measured, p != 0 {
                return " (differs by \(Int((abs(m - p) / abs(p) * 100).rounded())) %: \(c.reason ?? "reason unknown"))"
            }
            return " (differs: \(c.reason ?? "reason unknown"))"
        }
    }
}
