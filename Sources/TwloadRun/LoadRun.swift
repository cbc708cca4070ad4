import TwloadCensus
import TwloadConfig
import TwloadEngine
import TwloadEventLoop
import TwloadModel
import TwloadReport
import TwloadServer
import TwloadStats
import TwloadSystem

/// The outcome of a finished run.
public struct RunResult: Sendable {
    public var totals: RunTotals
    public var description: RunDescription
    /// SIGINT, SIGTERM or SIGQUIT, when a signal ended the run early.
    public var signal: Int32?
    /// The CSV write that failed and stopped the run early (a full disk), if one did. The CSV ends on the
    /// last whole row written before it; the totals cover the whole run.
    public var csvWriteError: SystemError?
    /// The verdict of each threshold, in the order given.
    public var thresholds: [ThresholdOutcome]
    /// Every CSV column over the whole run (the JSON summary's `columns`).
    public var columns: ColumnAggregates
    /// The kernel settings read at the start.
    public var kernel: KernelSettings
    /// Writing the JSON summary failed (after the run: the CSV is complete).
    public var summaryWriteError: SystemError?
    /// A fleet agent's own record (`--out`), or nil for a run that writes no agent folder.
    public var agent: AgentRecord?
    /// Whether every threshold held (true when there are none).
    public var thresholdsHeld: Bool { thresholds.allSatisfy { $0.verdict == .pass } }
    /// The summary text (also printed on stderr by the CLI), ending with the thresholds.
    public var summary: String {
        var text = SummaryReport.render(totals, description)
        if !thresholds.isEmpty {
            text += "  thresholds (\(thresholds.filter { $0.verdict == .pass }.count) of \(thresholds.count) held):\n"
            for t in thresholds { text += "    \(t.line)\n" }
        }
        return text
    }
}

/// `twload run`: sets up the target, the workers and the recorder, runs to the end of the schedule (or a
/// signal), and returns the totals.
public enum LoadRun {
    /// Runs `config`. Notes, warnings, the preflight block and the live status go to `reporter`. In a lab
    /// topology (`network`), the calling thread is in its client namespace, the built-in server listens in
    /// its server namespace, and each census also reads the server's and the router's.
    static func execute(
        _ given: RunConfiguration, namespace: String, network: LabNetwork?, probe: ProbeOutput? = nil,
        reporter: some RunReporter
    )
        throws(RunFailure) -> RunResult
    {
        BrokenPipeSignal.ignore()
        let config = try agentOutputs(given)
        let plan = try RunPlan.make(config, reporter: reporter)
        // Opened while the signals still have their default actions: Ctrl-C ends a wait for a FIFO's reader.
        let csv: OutputFile
        if let probe { csv = .borrowing(probe.csvDescriptor) } else { csv = try RunSetup.open(config.csv) }
        // Created now, so that a path that cannot be written fails before any load, not after it.
        let summaryFile = try RunSetup.create(summaryJSON: config.summaryJSON)
        // Block SIGINT/SIGTERM/SIGQUIT before any thread starts, so every thread inherits the mask and only
        // the recorder (sigtimedwait) ever receives them. A search's probes leave that to the search, which
        // keeps them blocked between probes too.
        if probe == nil { TerminationSignals.block() }
        defer { if probe == nil { TerminationSignals.unblock() } }
        let timing = try config.startAt.map { at throws(RunFailure) in try StartTiming.waitFor(at) } ?? .now()
        var agent = config.outDirectory == nil ? nil : AgentRecord(config, timing: timing)
        if config.startAt != nil, timing.lateNanos > config.maxLateNanos {
            if let summaryFile, var a = agent {
                a.exitReason = "late"
                try? summaryFile.writeRecord(
                    SummaryDocument.late(a, config: config, kernel: plan.kernel).rendered() + "\n")
            }
            throw .startedLate(lateNanos: timing.lateNanos, maxLateNanos: config.maxLateNanos, startAt: config.startAt!)
        }
        if timing.lateNanos > 0 && config.startAt != nil {
            reporter.warning(
                "started \(NumberText.fixed3(Double(timing.lateNanos) / 1e9)) s after --start-at: the attempts "
                    + "scheduled before then count as late_skipped")
        }
        let logs = try config.outDirectory.map { dir throws(RunFailure) in
            try AgentLogs(dir: dir, agent: config.agent, origin: timing.originWall)
        }
        if config.engine == .ioUring {
            // Refused here, before anything starts, rather than by each worker thread (e.g. EPERM under
            // kernel.io_uring_disabled, EINVAL on a kernel before 6.0).
            do { try IOURing.probe() } catch { throw .system(context: "--engine io_uring", error) }
        }
        var server: BuiltinServer?
        let start = timing.originNanos
        if config.target == nil {
            do {
                let s: BuiltinServer
                if let network {
                    var settings = plan.serverSettings
                    settings.listen = SocketAddress(ip: LabTopology.serverAddress, port: 0)!
                    s = try network.server.run { () throws(SystemError) in
                        try builtinServer(settings, avoiding: config.sourcePorts)
                    }
                } else {
                    s = try builtinServer(plan.serverSettings, avoiding: config.sourcePorts)
                }
                try s.start(startNanos: start, intervalNanos: config.intervalNanos)
                server = s
                reporter.note("no --target given: built-in server on \(s.address) (it closes \(plan.serverCloses))")
            } catch {
                throw .system(context: "starting the built-in server", error)
            }
        }
        defer { server?.stop() }
        let target = server?.address ?? config.target!.address
        // The server's TIME_WAIT cap is its own namespace's (a `server:` sysctl may set it).
        let serverBuckets = network.flatMap { n in
            try? n.server.run { () throws(SystemError) in KernelSettings.read().maxTimeWaitBuckets }
        }
        let nat = plan.natPrediction(network?.topology, serverTimeWaitBuckets: serverBuckets)
        let (prediction, preflightText) = plan.preflight(target: target, namespace: namespace, nat: nat)
        reporter.preflight(preflightText)
        let closer: LingerCloser?
        if case .seconds = config.linger {
            do { closer = try LingerCloser() } catch { throw .system(context: "starting the linger closer", error) }
        } else {
            closer = nil
        }
        defer { closer?.finish() }

        let views = CensusViews(
            client: .remote(target),
            server: server != nil || SocketSampler.serverIsLocal(target) ? .local(target) : nil,
            serverNamespace: network?.server, routerNamespace: network?.router,
            routerTranslates: network?.topology.kind == .nat)
        let sampler = try RunSetup.sampler(
            views, startNanos: start, intervalNanos: config.intervalNanos, countsRunTimeWait: true,
            reporter: reporter)
        defer { sampler.stop() }

        let control: RunControl
        do { control = try RunControl() } catch { throw .system(context: "eventfd", error) }
        let mailboxes = (0..<plan.config.threads).map { _ in SampleMailbox() }
        var threads: [OSThread] = []
        for i in 0..<plan.config.threads {
            let settings = plan.workerSettings(
                target: target, threadIndex: i, startNanos: start, joinNanos: timing.joinNanos)
            let mailbox = mailboxes[i]
            do {
                threads.append(
                    try OSThread(name: "twload-w\(i)") {
                        runWorker(
                            settings: settings, mailbox: mailbox, control: control, closer: closer, reporter: reporter)
                    })
            } catch {
                control.requestStop()
                for t in threads { t.join() }
                throw .system(context: "starting worker threads", error)
            }
        }
        var recorder = IntervalRecorder(
            mailboxes: mailboxes, control: control, server: server, sampler: sampler, startNanos: start,
            intervalNanos: config.intervalNanos, schedule: config.schedule, closedLoop: config.concurrency != nil,
            agent: config.agent, record: agent,
            logs: logs,
            csv: csv, probe: probe, reporter: reporter)
        recorder.record()
        for t in threads { t.join() }
        var description = plan.description(target: target, prediction: prediction)
        description.nat = nat
        let values = MetricTable.runValues(RunFigures(totals: recorder.totals, description: description))
        agent?.exitReason =
            recorder.writeError != nil ? "csv_write_failed" : recorder.signal != nil ? "signal" : "completed"
        var result = RunResult(
            totals: recorder.totals, description: description, signal: recorder.signal,
            csvWriteError: recorder.writeError, thresholds: config.thresholds.map { $0.evaluate(values) },
            columns: recorder.columns, kernel: plan.kernel)
        result.agent = agent
        if let summaryFile {
            let text = SummaryDocument.run(result, config: config).rendered() + "\n"
            do throws(SystemError) { try summaryFile.writeRecord(text) } catch { result.summaryWriteError = error }
        }
        return result
    }

    /// Runs `config` in this process's network namespace. Notes, warnings, the preflight block and the live
    /// status go to `reporter`.
    public static func execute(
        _ given: RunConfiguration, namespace: String = "this host's network namespace", reporter: some RunReporter
    ) throws(RunFailure) -> RunResult {
        try execute(given, namespace: namespace, network: nil, reporter: reporter)
    }

    /// `config` with `--out`'s folder created and its CSV and JSON summary in it, or `config` itself.
    static func agentOutputs(_ config: RunConfiguration) throws(RunFailure) -> RunConfiguration {
        guard let dir = config.outDirectory else { return config }
        do throws(SystemError) {
            try Directory.create(dir)
        } catch {
            throw .cannotCreateOut(path: dir, error)
        }
        var c = config
        c.csv = .file(AgentFiles.path(in: dir, agent: config.agent.index, .csv))
        c.summaryJSON = AgentFiles.path(in: dir, agent: config.agent.index, .json)
        return c
    }

    /// Binds the built-in server on an ephemeral port outside `--source-ports`: a listener inside that
    /// range would hold one of the client's ports and skew the exhaustion it measures.
    static func builtinServer(
        _ settings: ServerSettings, avoiding ports: PortRange?
    ) throws(SystemError) -> BuiltinServer {
        var attempt = 0
        while true {
            let server = try BuiltinServer(settings: settings)
            guard let ports, (ports.low...ports.high).contains(server.address.port), attempt < 50 else { return server }
            server.stop()
            attempt += 1
        }
    }

    /// The body of one worker thread. A worker that cannot start still posts a final sample, so the
    /// recorder never waits for it.
    static func runWorker(
        settings: WorkerSettings, mailbox: SampleMailbox, control: RunControl,
        closer: LingerCloser?, reporter: some RunReporter
    ) {
        do {
            var worker = try ClientWorker(settings: settings, mailbox: mailbox, control: control, closer: closer)
            worker.run()
        } catch {
            reporter.warning("worker \(settings.threadIndex) could not start: \(error)")
            control.requestStop()
            mailbox.post(
                IntervalSample(
                    index: 0, endNanos: MonotonicClock.now(), counters: IntervalCounters(),
                    latency: LatencyHistograms(), open: 0, isFinal: true))
        }
    }
}
