import TwloadCensus
import TwloadEventLoop
import TwloadModel
import TwloadReport
import TwloadServer
import TwloadStats
import TwloadSystem

/// Runs on the main thread during a load run: wakes at each interval end, collects every worker's sample
/// for that interval, merges them, reads the gauges and writes one CSV row. It also catches SIGINT, SIGTERM
/// and SIGQUIT (blocked everywhere else) and turns them into a clean stop.
struct IntervalRecorder<Reporter: RunReporter>: ~Copyable {
    let mailboxes: [SampleMailbox]
    let control: RunControl
    let server: BuiltinServer?
    let sampler: SocketSampler
    /// The last TIME_WAIT counters read, for per-row deltas.
    var lastCounters: TcpCounters?
    /// The router's last conntrack reading (a lab topology), for per-row deltas.
    var lastRouter: ConntrackReading?
    let startNanos: Int64
    let intervalNanos: Int64
    let schedule: RateSchedule
    /// A closed loop (`--concurrency`) has no rate: its rows' `target_rate` is empty.
    let closedLoop: Bool
    /// This process's share of the schedule: `target_rate` is the agent's share of the fleet's rate.
    let agent: AgentSlot
    /// A fleet agent's record (`--out`): its CSV rows end with `run_id`, `agent` and `interval_index`.
    let agentRecord: AgentRecord?
    /// A fleet agent's histogram logs (`--out`): one line per row, with the row's histograms.
    let agentLogs: AgentLogs?
    let csv: OutputFile
    /// A `twload find` probe's place in the search's CSV: its rows end with a `probe` column, and only the
    /// first probe writes the header.
    let probe: ProbeOutput?
    /// Receives the live status line after each row, when it wants one.
    let reporter: Reporter
    /// How the reporter shows the status line (asked once, now that the CSV's descriptor is known).
    let statusDisplay: LiveStatusDisplay
    var totals: RunTotals
    /// Every column over the run, for the JSON summary.
    var columns = ColumnAggregates()
    var lastServer = ServerCounters()
    /// First CSV write error; the run stops when it happens, and no row is written after it.
    var writeError: SystemError?
    /// The signal that stopped the run, if any.
    var signal: Int32?

    init(
        mailboxes: [SampleMailbox], control: RunControl, server: BuiltinServer?, sampler: SocketSampler,
        startNanos: Int64,
        intervalNanos: Int64, schedule: RateSchedule, closedLoop: Bool = false, agent: AgentSlot = .alone,
        record: AgentRecord? = nil,
        logs: AgentLogs? = nil,
        csv: consuming OutputFile, probe: ProbeOutput? = nil,
        reporter: Reporter
    ) {
        self.probe = probe
        self.mailboxes = mailboxes
        self.control = control
        self.server = server
        self.sampler = sampler
        self.lastCounters = sampler.views.tcpCounters()
        self.lastRouter = sampler.views.routerReading()
        self.startNanos = startNanos
        self.intervalNanos = intervalNanos
        self.schedule = schedule
        self.closedLoop = closedLoop
        self.agent = agent
        self.agentRecord = record
        self.agentLogs = logs
        self.statusDisplay = reporter.liveStatusDisplay(csvDescriptor: csv.fd)
        self.csv = csv
        self.reporter = reporter
        self.totals = RunTotals(
            intervalSeconds: Double(intervalNanos) / 1e9, scheduledSeconds: Double(schedule.durationNanos) / 1e9)
        self.totals.stages = StageTotals.of(schedule)
        self.totals.timeWaitAtStart = SockStat.read()?.timeWait
    }

    /// Writes the header, then one row per interval until every worker has posted its final sample.
    mutating func record() {
        let extra = (agentRecord == nil ? [] : AgentFiles.columnNames) + (probe == nil ? [] : [ProbeOutput.columnName])
        if probe?.writesHeader ?? true { emit(([CSVFormat.header] + extra).joined(separator: ",") + "\n") }
        var finished = Array(repeating: false, count: mailboxes.count)
        var index = 0
        while finished.contains(false) {
            let boundary = startNanos + Int64(index + 1) * intervalNanos
            var samples: [IntervalSample] = []
            var pending = Set(mailboxes.indices.filter { !finished[$0] })
            while !pending.isEmpty {
                for w in pending {
                    if let s = mailboxes[w].take(index: index) {
                        samples.append(s)
                        if s.isFinal { finished[w] = true }
                        pending.remove(w)
                    }
                }
                if pending.isEmpty { break }
                let now = MonotonicClock.now()
                waitForSignal(nanos: now < boundary ? min(boundary - now, 50_000_000) : 1_000_000)
            }
            writeRow(samples, index: index)
            index += 1
        }
        if statusDisplay == .inPlace { reporter.liveStatus("\n") }
    }

    /// Sleeps up to `nanos`, turning SIGINT/SIGTERM/SIGQUIT into a stop request.
    mutating func waitForSignal(nanos: Int64) {
        if let s = TerminationSignals.wait(nanoseconds: nanos) {
            if signal == nil { signal = s }
            control.requestStop()
            // Held connections would outlast the workers' short drain; the server ends their holds now.
            server?.endHolds()
        }
    }

    mutating func writeRow(_ samples: [IntervalSample], index: Int) {
        var counters = IntervalCounters()
        var latency = LatencyHistograms()
        var open = 0
        var backlog = 0
        var end = startNanos + Int64(index + 1) * intervalNanos
        var isFinal = false
        for s in samples {
            counters.merge(s.counters)
            latency.merge(s.latency)
            open += s.open
            backlog += s.backlog
            if s.isFinal {
                isFinal = true
                end = max(end, s.endNanos)
            }
        }
        if isFinal { end = samples.map(\.endNanos).max() ?? end }
        var serverDelta: ServerCounters?
        if let server {
            // Every worker has posted this interval, so the clients' closes are done; the final row
            // stops the server, which first lets the closes still in flight arrive.
            let now = isFinal ? server.stop() : server.counters(atBoundary: index + 1, timeoutNanos: 50_000_000)
            serverDelta = now.since(lastServer)
            lastServer = now
        }
        // The census of this boundary (taken on the sampler thread), or one taken now for the final row.
        let census =
            isFinal
            ? sampler.finalSample()
            : sampler.sample(atBoundary: index + 1, timeoutNanos: min(intervalNanos / 2, 250_000_000))
        let delta = TcpCounters.delta(census?.tcpCounters, since: &lastCounters)
        var routerDelta: ConntrackReading?
        if let now = census?.router {
            routerDelta = lastRouter.map { now.since($0) }
            lastRouter = now
        }
        let tw = TimeWaitCounts(
            client: census?.client?.timeWait, server: census?.server?.timeWait,
            total: census?.sockstat?.timeWait, clientOfRun: census?.clientRunTimeWait,
            serverOfRun: census?.serverRunTimeWait)
        var row = IntervalRow(
            elapsedSeconds: Double(end - startNanos) / 1e9, unixMillis: WallClock.unixMilliseconds(),
            targetRate: closedLoop
                ? nil
                : agent.share(
                    of: schedule.scheduledRate(
                        from: Double(index) * Double(intervalNanos) / 1e9, to: Double(end - startNanos) / 1e9)),
            counters: counters, latency: latency, open: open, timeWait: tw,
            server: serverDelta, isFinal: isFinal, clientStates: census?.client, serverStates: census?.server,
            tcpDelta: delta, backlog: backlog)
        row.router = routerDelta
        if let agentLogs, writeError == nil {
            let begin = Int64(index) * intervalNanos
            do {
                try agentLogs.write(latency, startNanos: begin, lengthNanos: end - startNanos - begin)
            } catch {
                writeError = error
                control.requestStop()
            }
        }
        totals.add(row)
        let cells = CSVFormat.standard.cells(row)
        columns.add(cells: cells)
        let extra = (agentRecord?.cells(interval: index) ?? []) + (probe.map { [String($0.index)] } ?? [])
        emit((cells + extra).joined(separator: ",") + "\n")
        showStatus(LiveStatus.line(row))
    }

    /// Shows `line` as the reporter asked: redrawn in place at the terminal's current width (80 columns when
    /// it does not say), or as a plain line.
    func showStatus(_ line: String) {
        switch statusDisplay {
        case .hidden: break
        case .inPlace: reporter.liveStatus(LiveStatus.redraw(line, columns: reporter.statusColumns ?? 80))
        case .lines: reporter.liveStatus(LiveStatus.plain(line))
        }
    }

    /// Writes one line (the header or a row) to the CSV, whole or not at all; the first failure stops the
    /// run, and the file still ends on the last whole row.
    mutating func emit(_ text: String) {
        guard writeError == nil else { return }
        do {
            try csv.writeRecord(text)
        } catch {
            writeError = error
            control.requestStop()
        }
    }
}
