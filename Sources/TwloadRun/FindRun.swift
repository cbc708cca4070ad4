import TwloadCensus
import TwloadConfig
import TwloadModel
import TwloadReport
import TwloadSystem

/// What `twload find --lab` gives every probe: a fresh namespace (or topology) with these sysctls.
public struct LabSetup: Sendable {
    public var sysctls: [LabSysctl]
    public var topology: LabTopology

    public init(sysctls: [LabSysctl], topology: LabTopology) {
        self.sysctls = sysctls
        self.topology = topology
    }
}

/// `twload find`: the highest rate of new connections that holds for the dwell, what bounds it, and the
/// rate sustainable indefinitely. Each probe is a run at one constant rate (`LoadRun`, or `LabRun` in a
/// fresh namespace), judged by the criteria on its own rows; `CapacitySearch` picks the rates. All probes'
/// rows go to one CSV with a `probe` column.
public enum FindRun {
    /// The confirmation's rates, as fractions of the sustainable rate, tried in turn until one holds.
    public static let confirmationFactors = [1.0, 0.95, 0.9]

    /// The longest wait for a previous probe's TIME_WAIT: 60 s plus the timer wheel's slack.
    static let timeWaitDrainNanos: Int64 = 66_000_000_000

    /// Runs the search for `base` (its rate and thresholds are replaced by each probe's). Notes and warnings
    /// go to `reporter`; `show` gets the search's own lines as they happen (the plan, a line per probe).
    /// `FindReport.result` words the result.
    public static func execute(
        _ base: RunConfiguration, find: FindConfiguration, lab: LabSetup?, reporter: some RunReporter,
        show: (String) -> Void
    ) throws(RunFailure) -> FindResult {
        if lab != nil { try LabRun.refuseTarget(base) }
        BrokenPipeSignal.ignore()
        let csv = try RunSetup.open(base.csv)
        let summaryFile = try RunSetup.create(summaryJSON: base.summaryJSON)
        // Blocked for the whole search: between probes too, a Ctrl-C ends the search with its result.
        TerminationSignals.block()
        defer { TerminationSignals.unblock() }
        for line in FindReport.plan(find, lab: lab) { show(line) }
        show(FindReport.tableHeader)
        var probing = Prober(
            base: base, find: find, lab: lab, csvDescriptor: csv.fd, reporter: ProbeReporter(reporter),
            baselineTimeWait: lab == nil ? SockStat.read()?.timeWait : nil)
        var result = FindResult()
        var search = CapacitySearch(
            minimum: find.minimumRate, maximum: find.maximumRate, resolution: find.resolution)
        while let rate = search.nextRate {
            guard let probe = try probing.run(rate: rate, nanos: find.dwellNanos, role: .search, notes: reporter) else {
                break
            }
            show(FindReport.line(probe))
            result.probes.append(probe)
            if probe.run.signal != nil || probe.run.csvWriteError != nil { break }
            search.record(rate: rate, held: probe.held)
        }
        result.signal = probing.signal ?? result.probes.last?.run.signal
        result.csvWriteError = result.probes.last?.run.csvWriteError
        conclude(&result, search: search, base: base)
        if let confirm = find.confirmNanos, let sustained = result.sustained, result.signal == nil,
            result.csvWriteError == nil
        {
            // The sustainable rate, then 5 % and 10 % lower while it does not hold: the kernel's timer wheel
            // ends TIME_WAIT up to one of its ticks after 60 s (about 2 s here), in batches, so a budget used
            // to the last port fails by a few connections while the first batch is late.
            for rate in FindRun.confirmationFactors.map({ CapacitySearch.rounded(sustained.rate * $0) }) {
                guard let probe = try probing.run(rate: rate, nanos: confirm, role: .confirm, notes: reporter) else {
                    break
                }
                show(FindReport.line(probe))
                result.probes.append(probe)
                result.signal = probe.run.signal
                result.csvWriteError = probe.run.csvWriteError
                if probe.held || probe.run.signal != nil || probe.run.csvWriteError != nil { break }
            }
            result.signal = result.signal ?? probing.signal
        }
        if let summaryFile {
            let text = FindDocument.render(result, find: find, config: base, lab: lab != nil).rendered() + "\n"
            do throws(SystemError) { try summaryFile.writeRecord(text) } catch { result.summaryWriteError = error }
        }
        return result
    }

    /// The search's verdict: the highest held rate, the probe that bounded it, and the sustainable rate.
    static func conclude(_ result: inout FindResult, search: CapacitySearch, base: RunConfiguration) {
        result.maximum = search.highestHeld
        result.heldAtMaximum = search.heldAtMaximum
        let above = result.probes.filter { !$0.held && $0.role == .search && $0.rate > (search.highestHeld ?? 0) }
        result.limitingProbe = above.min { $0.rate < $1.rate }
        guard let maximum = search.highestHeld, let last = result.probes.last else { return }
        result.sustained = SustainedRate.of(
            maximum: maximum, maximumBound: result.heldAtMaximum ? nil : result.limitingProbe?.bound,
            description: last.run.description, systemRange: base.sourcePorts == nil)
    }
}

/// Runs the probes one after another, each with a clean port budget: a fresh namespace under `--lab`, or,
/// in this host's namespace, a wait until the previous probes' TIME_WAIT has expired.
struct Prober<Reporter: RunReporter> {
    let base: RunConfiguration
    let find: FindConfiguration
    let lab: LabSetup?
    let csvDescriptor: Int32
    let reporter: ProbeReporter<Reporter>
    /// The namespace's TIME_WAIT count before the search (this host's namespace only).
    let baselineTimeWait: Int?
    var count = 0
    /// The previous probe's run: whether it left this host's ports in TIME_WAIT.
    var previous: RunDescription?
    /// A signal that arrived between probes.
    var signal: Int32?

    /// Runs one probe at `rate` for `nanos`; nil when a signal arrived while it waited to start.
    mutating func run(
        rate: Double, nanos: Int64, role: ProbeOutcome.Role, notes: some RunReporter
    ) throws(RunFailure) -> ProbeOutcome? {
        let waited = count > 0 ? waitForTimeWait(notes: notes) : 0
        if let s = TerminationSignals.wait(nanoseconds: 0) { signal = s }
        if signal != nil { return nil }
        count += 1
        var config = base
        config.schedule = .constant(rate: rate, seconds: Double(nanos) / 1e9)
        config.thresholds = find.criteria
        config.summaryJSON = nil
        let output = ProbeOutput(csvDescriptor: csvDescriptor, index: count, writesHeader: count == 1)
        let run: RunResult
        if let lab {
            run = try LabRun.execute(
                config, sysctls: lab.sysctls, topology: lab.topology, probe: output, reporter: reporter)
        } else {
            run = try LoadRun.execute(
                config, namespace: "this host's network namespace", network: nil, probe: output, reporter: reporter)
        }
        previous = run.description
        return ProbeOutcome(
            index: count, role: role, rate: rate, seconds: Double(nanos) / 1e9, run: run, waitedSeconds: waited)
    }

    /// In this host's namespace, after a probe whose client closed first (without RST or TIME_WAIT reuse),
    /// waits (up to 66 s) until TIME_WAIT is back near where it was before the search, so that the next
    /// probe does not find its source ports held by the previous ones. A fresh namespace per probe (`--lab`)
    /// needs no wait. Returns the seconds waited; a signal ends the wait.
    mutating func waitForTimeWait(notes: some RunReporter) -> Double {
        guard lab == nil, let baseline = baselineTimeWait, let d = previous, d.close == .client, d.linger != .reset,
            d.prediction?.reuseApplies != true
        else { return 0 }
        let slack = max(10, (baseline / 100))
        let start = MonotonicClock.now()
        var announced = false
        while let now = SockStat.read()?.timeWait, now > baseline + slack {
            let elapsed = MonotonicClock.now() - start
            if elapsed >= FindRun.timeWaitDrainNanos {
                notes.warning(
                    "find: \(now) sockets still in TIME_WAIT after \(elapsed / 1_000_000_000) s (\(baseline) before "
                        + "the search); the next probe starts anyway and may find ports held")
                break
            }
            if !announced {
                notes.note(
                    "find: waiting for \(now - baseline) TIME_WAIT sockets of the previous probe to expire, so "
                        + "that the next starts with free ports (up to 60 s; --lab gives each probe a fresh namespace)")
                announced = true
            }
            if let s = TerminationSignals.wait(nanoseconds: 1_000_000_000) {
                signal = s
                break
            }
        }
        return Double(MonotonicClock.now() - start) / 1e9
    }
}
