import TwloadConfig
import TwloadModel
import TwloadReport

/// The lines `twload find` shows on stderr: the plan, the probe table (a line per probe as it ends) and the
/// result.
public enum FindReport {
    /// "find: criteria, on each probe's own rows: …" and how the search moves.
    static func plan(_ find: FindConfiguration, lab: LabSetup?) -> [String] {
        let dwell = NumberText.compact(Double(find.dwellNanos) / 1e9)
        var apart = "in this host's namespace, waiting out a client-close probe's TIME_WAIT before the next"
        if let lab {
            let settings = LabRun.effective(LabRun.defaultSysctls + lab.sysctls.map(\.setting))
                .map { "\($0.key.split(separator: ".").last ?? "")=\($0.value)" }
            apart =
                "each in a fresh network namespace (\(lab.topology.kind.rawValue); "
                + settings.joined(separator: ", ") + ")"
        }
        return [
            "find: criteria, on each probe's own rows: " + find.criteria.map(\.text).joined(separator: "; "),
            "find: probes of \(dwell) s from \(NumberText.rate(find.minimumRate))/s, doubling up to "
                + "\(NumberText.rate(find.maximumRate))/s, then bisecting to "
                + "\(NumberText.compact(find.resolution * 100)) %; \(apart)",
        ]
    }

    static let columns: [(title: String, width: Int)] = [
        ("probe", 5), ("rate", 9), ("seconds", 7), ("established", 11), ("failed", 7), ("result", 6),
    ]

    /// The table's header line.
    public static var tableHeader: String {
        "  " + columns.map { pad($0.title, $0.width) }.joined(separator: "  ") + "  limited by"
    }

    /// One probe's line: its rate, what it established and failed, held or failed, and what bounded it.
    public static func line(_ p: ProbeOutcome) -> String {
        let c = p.run.totals.counters
        let cells = [
            p.role == .confirm ? "c\(p.index)" : "\(p.index)", CapacitySearch.text(p.rate) + "/s",
            NumberText.compact(p.seconds),
            "\(c.established)", "\(c.failed)", p.held ? "held" : "failed",
        ]
        let bound = p.bound.map { "\($0.phrase): \(p.evidence ?? "")" } ?? ""
        let row = zip(cells, columns).map { pad($0, $1.width) }.joined(separator: "  ")
        return ("  " + row + "  " + bound).trimmingTrailingSpaces
    }

    /// The result: the highest rate that held and what bounded the search above it, the rate sustainable
    /// indefinitely and why, and the confirmation.
    public static func result(_ r: FindResult, find: FindConfiguration) -> [String] {
        var lines: [String] = []
        let dwell = NumberText.compact(Double(find.dwellNanos) / 1e9)
        guard let maximum = r.maximum else {
            if let first = r.probes.first(where: { $0.role == .search }), !first.held {
                lines.append(
                    "nothing held: the first probe, \(CapacitySearch.text(first.rate))/s, failed"
                        + (first.bound.map { ", limited by \($0.phrase) (\(first.evidence ?? ""))" } ?? "")
                        + "; give a lower --min")
                lines += reasons(first)
            } else {
                lines.append("nothing held: the search stopped before a probe finished")
            }
            return lines
        }
        if r.heldAtMaximum {
            lines.append(
                "highest rate held for \(dwell) s: \(CapacitySearch.text(maximum))/s, which is --max: the capacity lies above it; "
                    + "give a higher --max")
        } else if let limit = r.limitingProbe {
            lines.append(
                "highest rate held for \(dwell) s: \(CapacitySearch.text(maximum))/s, limited by \(limit.bound?.phrase ?? "no one side")"
                    + " (probe \(limit.index) at \(CapacitySearch.text(limit.rate))/s failed: \(limit.evidence ?? ""))")
            lines += reasons(limit)
        } else {
            lines.append(
                "highest rate held for \(dwell) s: \(CapacitySearch.text(maximum))/s (the search stopped early)")
        }
        if let s = r.sustained {
            let side = r.probes.last?.run.description.close == .server ? "server" : "client"
            lines.append(
                "sustainable indefinitely (the \(side) closes first): \(CapacitySearch.text(s.rate))/s"
                    + (s.bound.map { ", limited by \($0.phrase)" } ?? "") + ": \(s.basis)")
        }
        for c in r.confirmations {
            let verdict =
                c.held
                ? "held for \(NumberText.compact(c.seconds)) s"
                : "failed within \(NumberText.compact(c.seconds)) s"
                    + (c.bound.map { ", limited by \($0.phrase) (\(c.evidence ?? ""))" } ?? "")
            lines.append("confirmation: \(CapacitySearch.text(c.rate))/s \(verdict)")
        }
        if find.confirmNanos == nil, r.sustained != nil {
            lines.append("(not confirmed: --confirm 90s holds the sustainable rate past TIME_WAIT's 60 s)")
        }
        return lines
    }

    /// The criteria a failed probe missed, and, when a side ran out, the summary's explanation of it.
    static func reasons(_ p: ProbeOutcome) -> [String] {
        let missed = p.failedCriteria.map {
            $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        }
        var lines = missed.isEmpty ? [] : ["  criteria: " + missed.joined(separator: "; ")]
        if let bound = p.bound, [.hostPorts, .server, .path].contains(bound) {
            lines.append("  why: " + SummaryReport.why(p.run.totals, p.run.description))
        }
        return lines
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }
}

extension String {
    fileprivate var trimmingTrailingSpaces: String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
