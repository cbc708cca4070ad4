import TwloadCensus

extension MetricTable {
    /// A lab topology's router (issue 17), after the SYN counters: its conntrack table per row. Empty cells
    /// outside a routed or NAT lab; a routed router tracks connections but translates none.
    static let router: [Metric] =
        [
            Metric(
                "ct_count", .gauge,
                "Entries in the lab router's conntrack table at the end of the interval (`nf_conntrack_count`), "
                    + "TIME_WAIT ones included. Empty outside a routed or NAT lab.",
                cell: { Metric.cell($0.router?.count) }),
            Metric(
                "nat_ports_used", .gauge,
                "Distinct NAT (address, port) pairs the router's conntrack entries hold, TIME_WAIT ones included "
                    + "(from `/proc/net/nf_conntrack`); NAT topology only.",
                cell: { Metric.cell($0.router?.natPortsInUse) }),
        ]
        + ConntrackReading.statNames.map { name in
            let (meaning, family) = conntrackMeaning(name)
            return Metric(
                "ct_\(name)", .count, meaning, family: family, cell: { Metric.cell($0.router?.stat(name)) },
                total: { $0.totals.routerConntrack.map { Double($0.stat(name)) } })
        }

    /// The run metrics of the router's table that are levels, not sums.
    static let routerPeaks: [Metric] = [
        .run("peak_ct_count", .gauge, "The highest `ct_count` of any row (N/A outside a routed or NAT lab).") {
            $0.totals.peakConntrackCount.map(Double.init)
        },
        .run("peak_nat_ports_used", .gauge, "The highest `nat_ports_used` of any row (N/A outside a NAT lab).") {
            $0.totals.peakNatPortsUsed.map(Double.init)
        },
    ]

    /// One line per statistic of /proc/net/stat/nf_conntrack, and the README family of the ones this kernel
    /// no longer moves.
    static func conntrackMeaning(_ name: String) -> (String, String?) {
        let prefix = "Delta of the router's conntrack statistic `\(name)`: "
        switch name {
        case "found": return (prefix + "lookups that found an existing entry.", nil)
        case "invalid": return (prefix + "packets conntrack could not track (out of window, malformed).", nil)
        case "insert": return (prefix + "new entries confirmed into the table.", nil)
        case "insert_failed":
            return (
                prefix + "new connections that could not be inserted, e.g. because the NAT found no free "
                    + "(address, port) for them; their packet is dropped.", nil
            )
        case "drop": return (prefix + "packets dropped because conntrack failed for them (insert_failed's too).", nil)
        case "early_drop": return (prefix + "entries evicted to make room when the table was full.", nil)
        case "icmp_error": return (prefix + "ICMP errors that matched no connection.", nil)
        case "clashres": return (prefix + "insert clashes resolved by merging with the existing entry.", nil)
        case "search_restart": return (prefix + "table lookups restarted because the table was resized.", nil)
        default:
            return (
                "Deltas of the router's older conntrack statistics (`new`, `ignore`, `delete`, `chainlength`, "
                    + "`expect_new`, `expect_create`, `expect_delete`), which recent kernels keep at 0 or use for "
                    + "expectations only.", "conntrack-other"
            )
        }
    }
}
