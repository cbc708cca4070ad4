import TwloadEventLoop
import TwloadStats
import TwloadSystem

/// The experimental io_uring client event loop (`--engine io_uring`): the same schedule, counters, samples
/// and CSV as `ClientWorker`, with the socket calls queued in a ring instead of made one by one.
///
/// A connection is a blocking socket() made at once, then a linked connect → send → recv queued in the
/// ring; further recvs follow until the response is whole (or, under server close, until the server's
/// FIN), and the close is queued in the ring too. Everything queued in a loop pass goes to the kernel in
/// the one io_uring_enter that also waits for the next completions. A request's user data is the
/// connection's generation tag with the operation in bits 24–31 of the fd half (fds stay below 2^24), so a
/// completion for a closed connection is dropped, as a stale epoll event is.
///
/// What it leaves out, and the configuration refuses with it: keep-alive (`--requests-per-connection` above
/// 1, `--think`) and `--linger` N > 0 (whose close blocks). connect() is not a call of its own here, so the
/// connect-call latency is not measured.
public struct RingClientWorker: ~Copyable {
    let settings: WorkerSettings
    let ring: IOURing
    var table: ConnectionTable
    var pacer: Pacer
    var counters = IntervalCounters()
    var latency = LatencyRecorders()
    let buffers = RingReceiveBuffers()
    /// The request, copied once to memory that stays put while sends are in flight.
    let request: UnsafeMutableRawBufferPointer
    let target: PreparedAddress
    let mailbox: SampleMailbox
    let control: RunControl
    var interval = 0
    /// As in `ClientWorker`: the current interval's end while it is not the last one, else `Int64.max`.
    var nextBoundary: Int64
    var emfileUntil: Int64 = 0
    var nextTimeoutScan: Int64 = 0
    let timeoutScanNanos: Int64
    let lingerSeconds: Int32?
    var source: SourceChooser
    let family: Int32
    let afterConnect: ClientWorker.AfterConnect

    /// The operation a completion belongs to, in bits 24–31 of its user data.
    enum Op: UInt64 {
        case connect = 1
        case send = 2
        case receive = 3
        case close = 4
        case cancel = 5
    }
    static let opShift: UInt64 = 24
    static let opMask: UInt64 = 0xFF << 24
    /// User data of the poll on the stop eventfd (its fd half is all ones: never a connection).
    static let wakeData: UInt64 = 0xFFFF_FFFF

    public init(settings: WorkerSettings, mailbox: SampleMailbox, control: RunControl) throws(SystemError) {
        try CurrentThread.setTimerSlack(nanoseconds: 1)
        // Three requests per new connection and one per recv that follows: the completion ring holds
        // every connection's at once, so none waits in the kernel's overflow list.
        let inFlight = max(settings.concurrency, min(settings.maxOpen, 16384))
        ring = try IOURing(entries: 4096, completionEntries: UInt32(max(8192, min(inFlight * 4, 65536))))
        self.settings = settings
        target = PreparedAddress(settings.target)
        table = ConnectionTable(capacity: min(settings.maxOpen * 2 + 64, 65536))
        pacer = Pacer(
            startNanos: settings.startNanos, schedule: settings.schedule, threads: settings.threads,
            threadIndex: settings.threadIndex)
        if settings.concurrency > 0 { pacer.stopScheduling() }
        self.mailbox = mailbox
        self.control = control
        nextBoundary = ClientWorker.boundary(settings.startNanos + settings.intervalNanos, before: pacer.endNanos)
        switch settings.linger {
        case .off, .seconds: lingerSeconds = nil
        case .reset: lingerSeconds = 0
        }
        source = SourceChooser(settings)
        family = settings.target.family
        timeoutScanNanos = ClientWorker.timeoutScanInterval(
            connectTimeoutNanos: settings.connectTimeoutNanos, timeoutNanos: settings.timeoutNanos)
        if !settings.request.isEmpty {
            afterConnect = .send
        } else {
            afterConnect = settings.close == .client ? .close : .awaitPeer
        }
        request = .allocate(byteCount: max(1, settings.request.count), alignment: 16)
        settings.request.withUnsafeBytes { request.copyMemory(from: $0) }
    }

    deinit { request.deallocate() }

    /// Runs the schedule, then drains in-flight connections and posts the final sample.
    public mutating func run() {
        ring.pollReadable(control.wakeFD, userData: Self.wakeData)
        if let join = settings.joinNanos, join > settings.startNanos { skipUntilJoining(at: join) }
        var now = MonotonicClock.now()
        var drainDeadline = Int64.max
        while true {
            if now >= nextBoundary { publishIfDue(now) }
            if now >= nextTimeoutScan { expireTimeouts(now) }
            let stopping = control.stopRequested
            if !stopping && pacer.hasDue(at: now) { now = startDueAttempts(now) }
            if closedLoopHasRoom(now: now, stopping: stopping) { now = refillClosedLoop(now) }
            if stopping || pacer.nextDeadline == nil {
                let scheduleEnd = stopping ? now : max(now, pacer.endNanos)
                if drainDeadline == .max || stopping && drainDeadline > now + 200_000_000 {
                    drainDeadline =
                        scheduleEnd + (stopping ? min(settings.drainNanos, 200_000_000) : settings.drainNanos)
                }
                if (table.openCount == 0 && now >= scheduleEnd) || now >= drainDeadline { break }
            }
            let wake = nextWake(now: now, drainDeadline: drainDeadline, stopping: stopping)
            if case .failed = ring.submitAndWait(timeoutNanos: max(0, wake - now)) { counters.otherErrors += 1 }
            now = MonotonicClock.now()
            handleCompletions(now: now)
        }
        abandonOpenConnections()
        _ = ring.submitAndWait(timeoutNanos: 0)
        publish(endNanos: now, isFinal: true)
    }

    /// Handles every completion the ring holds, a batch at a time.
    @inline(never)
    mutating func handleCompletions(now: Int64) {
        while true {
            let n = ring.reap()
            for i in 0..<n { complete(ring.completions[i], now: now) }
            if n < ring.completionCapacity { return }
        }
    }

    /// The earliest moment something must happen (as in `ClientWorker`, without `--think`).
    @inline(__always)
    func nextWake(now: Int64, drainDeadline: Int64, stopping: Bool) -> Int64 {
        var t = min(drainDeadline, nextBoundary)
        if now < pacer.endNanos { t = min(t, pacer.endNanos) }
        if !stopping, let d = pacer.nextDeadline { t = min(t, max(d, emfileUntil)) }
        if table.openCount > 0 { t = min(t, nextTimeoutScan) }
        if closedLoopHasRoom(now: now, stopping: stopping) { t = min(t, max(now, emfileUntil)) }
        return t
    }

    /// Starts the attempts that are due, within the same bounds per pass as `ClientWorker`.
    @inline(never)
    mutating func startDueAttempts(_ start: Int64) -> Int64 {
        var now = start
        if now >= pacer.endNanos, let oldest = pacer.nextDeadline {
            let skipped = pacer.skip(before: now - settings.endGraceNanos)
            if skipped > 0 {
                counters.notStarted += skipped
                counters.endLagNanos = max(counters.endLagNanos, now &- oldest)
            }
        }
        defer { notePeakOpen() }
        let stopAt = min(start &+ settings.maxBurstNanos, nextBoundary)
        var burst = 0
        while burst < settings.maxBurst && now < stopAt {
            switch pacer.take(now: now) {
            case .wait:
                return now
            case .miss:
                counters.missed &+= 1
            case .start(let scheduled):
                if table.openCount >= settings.maxOpen || now < emfileUntil {
                    counters.missed &+= 1
                } else {
                    latency.lag.record(nanos: now &- scheduled)
                    now = attempt(scheduled: scheduled, now: now)
                    burst &+= 1
                }
            }
        }
        return now
    }

    @inline(__always)
    func closedLoopHasRoom(now: Int64, stopping: Bool) -> Bool {
        settings.concurrency > table.openCount && !stopping && now < pacer.endNanos
    }

    /// Closed loop: opens connections until `concurrency` are in flight (latency from each one's start).
    @inline(never)
    mutating func refillClosedLoop(_ start: Int64) -> Int64 {
        var now = start
        defer { notePeakOpen() }
        let stopAt = min(start &+ settings.maxBurstNanos, nextBoundary)
        var burst = 0
        while table.openCount < settings.concurrency && burst < settings.maxBurst && now < stopAt
            && now >= emfileUntil
        {
            now = attempt(scheduled: now, now: now)
            burst &+= 1
        }
        return now
    }

    @inline(__always)
    mutating func notePeakOpen() {
        if table.openCount > counters.peakOpen { counters.peakOpen = table.openCount }
    }

    /// Counts the connections whose time is up, cancels what they have in flight and closes them.
    @inline(never)
    mutating func expireTimeouts(_ now: Int64) {
        nextTimeoutScan = now &+ timeoutScanNanos
        var from: Int32 = 0
        while let (fd, timeout) = table.firstTimedOut(
            from: from, now: now, connectTimeoutNanos: settings.connectTimeoutNanos,
            timeoutNanos: settings.timeoutNanos)
        {
            switch timeout {
            case .connect:
                counters.connectTimeouts += 1
                let scheduled = table.slots[fd].scheduledNanos - settings.startNanos
                if counters.firstConnectTimeoutNanos < 0 || scheduled < counters.firstConnectTimeoutNanos {
                    counters.firstConnectTimeoutNanos = max(0, scheduled)
                }
            case .exchange:
                if !table.slots[fd].verdictFailed { counters.exchangeTimeouts += 1 }
                counters.activeCloses &+= 1
            }
            if !table.slots[fd].verdictFailed { counters.countFailure(errno: .timedOut) }
            releaseInFlight(fd)
            from = fd &+ 1
        }
        table.trimHighestOpenFd()
    }

    @inline(never)
    mutating func publishIfDue(_ now: Int64) {
        while now >= nextBoundary {
            publish(endNanos: nextBoundary, isFinal: false)
            nextBoundary = ClientWorker.boundary(nextBoundary + settings.intervalNanos, before: pacer.endNanos)
        }
    }

    mutating func skipUntilJoining(at join: Int64) {
        while nextBoundary <= join {
            counters.lateSkipped += pacer.skip(before: nextBoundary)
            publish(endNanos: nextBoundary, isFinal: false)
            nextBoundary = ClientWorker.boundary(nextBoundary + settings.intervalNanos, before: pacer.endNanos)
        }
        counters.lateSkipped += pacer.skip(before: join)
    }

    mutating func publish(endNanos: Int64, isFinal: Bool) {
        counters.peakOpen = max(counters.peakOpen, table.openCount)
        var backlog = 0
        if pacer.nextDeadline != nil, pacer.hasDue(at: endNanos - 1) {
            backlog = Int(max(0, pacer.scheduledCount(before: endNanos) - pacer.next))
        }
        mailbox.post(
            IntervalSample(
                index: interval, endNanos: endNanos, counters: counters, latency: latency.takeSnapshot(),
                open: table.openCount, backlog: backlog, isFinal: isFinal))
        interval += 1
        counters = IntervalCounters()
        counters.peakOpen = table.openCount
    }

    /// Closes what is still open after the drain (neither completed nor failed).
    mutating func abandonOpenConnections() {
        var from: Int32 = 0
        while let fd = table.firstOpen(from: from) {
            if !table.slots[fd].verdictFailed { counters.unfinished += 1 }
            releaseInFlight(fd)
            from = fd &+ 1
        }
    }
}
