import TwloadEventLoop
import TwloadStats
import TwloadSystem

/// One client event loop: its own epoll set, connection table, pacer and plain counters. It runs on one
/// OS thread from `run()` to the end of the schedule, publishing one `IntervalSample` per interval.
///
/// A loop pass: read the clock once, expire timeouts (a scan every few ms), send the requests whose
/// `--think` pause is over, start the attempts that are due (a bounded burst), sleep in epoll until the
/// next deadline, then handle the ready events. See ClientWorker+Events.swift for what each event does to a
/// connection, and ClientWorker+KeepAlive.swift for the requests after the first.
///
/// Under `--engine io_uring` the same loop waits on a ring instead of epoll, and a connection's calls are
/// queued in it: see ClientWorker+Ring.swift. The rest (schedule, counters, timeouts, samples) is shared.
public struct ClientWorker: ~Copyable {
    let settings: WorkerSettings
    let epoll: Epoll
    var table: ConnectionTable
    var pacer: Pacer
    var counters = IntervalCounters()
    var latency = LatencyRecorders()
    let buffer = ReceiveBuffer()
    /// The target laid out once for connect().
    let target: PreparedAddress
    let mailbox: SampleMailbox
    let control: RunControl
    /// How `release` closes a descriptor: at once, on the linger closer's thread, or through the ring.
    let closeRoute: CloseRoute
    /// The thread that closes sockets under `--linger` N > 0 (`closeRoute` is `.lingerCloser`); nil otherwise.
    let closer: LingerCloser?
    var interval = 0
    /// The end of the current interval while it is not the last one; `Int64.max` from then on, since the
    /// last interval ends in the final sample. (Kept at the schedule's end, it would hold back the
    /// barely late attempts that `startDueAttempts` may still start after the end.)
    var nextBoundary: Int64
    var emfileUntil: Int64 = 0
    /// When `expireTimeouts` next scans the table, and how often it does.
    var nextTimeoutScan: Int64 = 0
    let timeoutScanNanos: Int64
    /// Source address and port for each new socket.
    var source: SourceChooser
    /// The keep-alive connections pausing for `--think`, by when their next request is due.
    var thinks: DeadlineQueue
    /// SO_LINGER seconds to set on each socket, or nil (decided once, not per attempt).
    let lingerSeconds: Int32?
    /// The target's address family, for socket().
    let family: Int32
    /// What follows the handshake (decided once from the settings, not per connection).
    let afterConnect: AfterConnect
    /// The io_uring ring under `--engine io_uring`; nil on epoll.
    let ring: IOURing?
    /// The ring's per-fd receive buffers (never touched on epoll).
    let ringBuffers = RingReceiveBuffers()
    /// The request, copied once to memory that stays put while the ring's sends are in flight.
    let ringRequest: UnsafeMutableRawBufferPointer

    /// The three ways a connection goes on once connected.
    enum AfterConnect {
        /// Send the request (then read the response, if any).
        case send
        /// Nothing to exchange and the client closes first: close at once.
        case close
        /// Nothing to send and the server closes first: wait for its FIN.
        case awaitPeer
    }
    /// What a new connection is registered for: edge-triggered, so one registration serves the whole
    /// life (the EPOLLOUT edge is the handshake, later edges are data or FIN) and no EPOLL_CTL_MOD is needed.
    let registration: EpollEvents = [.writable, .readable, .readHangup, .edgeTriggered]

    /// Tag of the stop eventfd in the epoll set (never a valid connection tag: fd bits are all ones, so
    /// `ConnectionTable.lookup` finds no slot for it).
    static let wakeTag: UInt64 = 0xFFFF_FFFF

    public init(
        settings: WorkerSettings, mailbox: SampleMailbox, control: RunControl, closer: LingerCloser?
    )
        throws(SystemError)
    {
        // The worker is created on its own thread: its epoll sleeps end when the next attempt is due,
        // not up to 50 µs later (the default timer slack), which would be schedule lag of its own.
        try CurrentThread.setTimerSlack(nanoseconds: 1)
        let epoll = try Epoll(capacity: 512)
        let ring = try Self.ring(for: settings)
        try epoll.add(control.wakeFD, .readable, tag: Self.wakeTag)
        self.epoll = epoll
        self.settings = settings
        self.target = PreparedAddress(settings.target)
        self.table = ConnectionTable(capacity: min(settings.maxOpen * 2 + 64, 65536))
        self.thinks = DeadlineQueue(capacity: settings.thinkNanos > 0 ? 1024 : 1)
        self.pacer = Pacer(
            startNanos: settings.startNanos, schedule: settings.schedule, threads: settings.threads,
            threadIndex: settings.threadIndex)
        if settings.concurrency > 0 { pacer.stopScheduling() }
        self.mailbox = mailbox
        self.control = control
        if ring != nil {
            closeRoute = .ring
        } else if closer != nil {
            closeRoute = .lingerCloser
        } else {
            closeRoute = .now
        }
        self.closer = closer
        self.nextBoundary = Self.boundary(settings.startNanos + settings.intervalNanos, before: pacer.endNanos)
        source = SourceChooser(settings)
        switch settings.linger {
        case .off: lingerSeconds = nil
        case .reset: lingerSeconds = 0
        case .seconds(let n): lingerSeconds = n
        }
        family = settings.target.family
        timeoutScanNanos = Self.timeoutScanInterval(
            connectTimeoutNanos: settings.connectTimeoutNanos,
            timeoutNanos: settings.timeoutNanos)
        if !settings.request.isEmpty {
            afterConnect = .send
        } else {
            afterConnect = settings.close == .client ? .close : .awaitPeer
        }
        self.ring = ring
        ringRequest = .allocate(byteCount: max(1, settings.request.count), alignment: 16)
        settings.request.withUnsafeBytes { ringRequest.copyMemory(from: $0) }
    }

    deinit { ringRequest.deallocate() }

    /// Runs the schedule, then drains in-flight connections and posts the final sample.
    public mutating func run() {
        if let join = settings.joinNanos, join > settings.startNanos { skipUntilJoining(at: join) }
        if let ring {
            ring.pollReadable(control.wakeFD, userData: Self.wakeTag)
            loop(RingPath.self)
        } else {
            loop(EpollPath.self)
        }
    }

    /// The loop itself, compiled once per engine (`P.usesRing` is a constant in each copy), so the epoll
    /// engine's passes and attempts pay nothing for the ring's.
    mutating func loop<P: SocketPath>(_ path: P.Type) {
        var now = MonotonicClock.now()
        var drainDeadline = Int64.max
        while true {
            // Each step is guarded by one comparison here and runs out of line only when due: most
            // passes have nothing to publish, no scan to make and often no attempt to start.
            if now >= nextBoundary { publishIfDue(now) }
            if now >= nextTimeoutScan { expireTimeouts(now) }
            if now >= thinks.nextDeadline { sendAfterThinking(now) }
            let stopping = control.stopRequested
            if !stopping && pacer.hasDue(at: now) { now = startDueAttempts(now, path) }
            if closedLoopHasRoom(now: now, stopping: stopping) { now = refillClosedLoop(now, path) }
            if stopping || pacer.nextDeadline == nil {
                // The schedule ends at its end time, not at its last attempt; then in-flight connections
                // get `drainNanos` to finish (less after a signal).
                let scheduleEnd = stopping ? now : max(now, pacer.endNanos)
                if drainDeadline == .max || stopping && drainDeadline > now + 200_000_000 {
                    drainDeadline =
                        scheduleEnd + (stopping ? min(settings.drainNanos, 200_000_000) : settings.drainNanos)
                }
                if (table.openCount == 0 && now >= scheduleEnd) || now >= drainDeadline { break }
            }
            let wake = nextWake(now: now, drainDeadline: drainDeadline, stopping: stopping)
            if P.usesRing {
                let ring = ring.unsafelyUnwrapped
                if case .failed = ring.submitAndWait(timeoutNanos: max(0, wake - now)) { counters.otherErrors += 1 }
                now = MonotonicClock.now()
                handleCompletions(of: ring, now: now)
                continue
            }
            let n: Int
            do {
                n = try epoll.wait(timeoutNanoseconds: max(0, wake - now))
            } catch {
                counters.otherErrors += 1
                n = 0
            }
            now = MonotonicClock.now()
            if n > 0 { handleReadyEvents(n, now: now) }
        }
        abandonOpenConnections()
        // The ring's last cancellations and closes.
        if P.usesRing { _ = ring.unsafelyUnwrapped.submitAndWait(timeoutNanos: 0) }
        publish(endNanos: now, isFinal: true)
    }

    /// Handles the `n` events the last wait returned: one call per pass that has events, with the
    /// per-event dispatch inlined into its loop.
    @inline(never)
    mutating func handleReadyEvents(_ n: Int, now: Int64) {
        for i in 0..<n { handle(flags: epoll.flags(at: i), tag: epoll.tag(at: i), now: now) }
    }

    /// The earliest moment something must happen: an attempt, a timeout, an interval end, the end of the
    /// schedule or of the drain. Never a moment already past, so the loop cannot spin.
    @inline(__always)
    mutating func nextWake(now: Int64, drainDeadline: Int64, stopping: Bool) -> Int64 {
        var t = drainDeadline
        t = min(t, nextBoundary)
        if now < pacer.endNanos { t = min(t, pacer.endNanos) }
        if !stopping, let d = pacer.nextDeadline { t = min(t, max(d, emfileUntil)) }
        if table.openCount > 0 { t = min(t, nextTimeoutScan, thinks.nextDeadline) }
        // Closed loop with a connection to open: at once (after an EMFILE pause).
        if closedLoopHasRoom(now: now, stopping: stopping) { t = min(t, max(now, emfileUntil)) }
        return t
    }

    /// Starts the attempts that are due: at most `maxBurst` and `maxBurstNanos` per pass, and never past an
    /// interval end (so samples are posted on time). Returns the clock after the last
    /// connect() so that the next attempt's start time needs no extra clock read.
    @inline(never)
    mutating func startDueAttempts<P: SocketPath>(_ start: Int64, _: P.Type) -> Int64 {
        var now = start
        if now >= pacer.endNanos && pacer.nextDeadline != nil {
            // The schedule is over: attempts still due start only if they are barely late; the rest never
            // start rather than run long after the end. They are the schedule's unfinished business, not
            // this row's misses.
            if let oldest = pacer.nextDeadline {
                let skipped = pacer.skip(before: now - settings.endGraceNanos)
                if skipped > 0 {
                    counters.notStarted += skipped
                    counters.endLagNanos = max(counters.endLagNanos, now &- oldest)
                }
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
                    now = attempt(scheduled: scheduled, now: now, P.self)
                    burst &+= 1
                }
            }
        }
        return now
    }

    /// Closed loop: fewer than `concurrency` connections are in flight and the schedule is still on. Always
    /// false in the open loop (`concurrency` 0), at the cost of one comparison.
    @inline(__always)
    func closedLoopHasRoom(now: Int64, stopping: Bool) -> Bool {
        settings.concurrency > table.openCount && !stopping && now < pacer.endNanos
    }

    /// Closed loop: opens connections until `concurrency` are in flight, within the same per-pass bounds
    /// as `startDueAttempts`. Each attempt's latency runs from its own start (as in wrk): there is no
    /// schedule to be late for, so no lag and no missed attempt.
    @inline(never)
    mutating func refillClosedLoop<P: SocketPath>(_ start: Int64, _: P.Type) -> Int64 {
        var now = start
        defer { notePeakOpen() }
        let stopAt = min(start &+ settings.maxBurstNanos, nextBoundary)
        var burst = 0
        while table.openCount < settings.concurrency && burst < settings.maxBurst && now < stopAt
            && now >= emfileUntil
        {
            now = attempt(scheduled: now, now: now, P.self)
            burst &+= 1
        }
        return now
    }

    /// How often timeouts are looked for: 1/16 of the shorter timeout, between 1 ms and 100 ms. A
    /// connection is timed out at most that much after its timeout (3.0 to 3.1 s for the default
    /// --connect-timeout), and no work per connection is needed to find it.
    static func timeoutScanInterval(connectTimeoutNanos: Int64, timeoutNanos: Int64) -> Int64 {
        min(100_000_000, max(1_000_000, min(connectTimeoutNanos, timeoutNanos) / 16))
    }

    /// Counts and closes the connections whose connect or exchange timeout has passed; a scan of the
    /// open fds every `timeoutScanNanos`. The loop calls it once `now` reaches `nextTimeoutScan`.
    @inline(never)
    mutating func expireTimeouts(_ now: Int64) {
        nextTimeoutScan = now &+ timeoutScanNanos
        var from: Int32 = 0
        while let (fd, timeout) = table.firstTimedOut(
            from: from, now: now,
            connectTimeoutNanos: settings.connectTimeoutNanos,
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
                // A connection failed by its HTTP status is counted already; only its close is left.
                if !table.slots[fd].verdictFailed { counters.exchangeTimeouts += 1 }
                counters.activeCloses &+= 1
            }
            countFailure(fd, errno: .timedOut)
            releaseInFlight(fd)
            from = fd &+ 1
        }
        table.trimHighestOpenFd()
    }

    /// Posts the samples of every interval that ended by `now`.
    @inline(never)
    mutating func publishIfDue(_ now: Int64) {
        // Once the schedule is over, the rest (including the drain) goes into the final sample.
        while now >= nextBoundary {
            publish(endNanos: nextBoundary, isFinal: false)
            nextBoundary = Self.boundary(nextBoundary + settings.intervalNanos, before: pacer.endNanos)
        }
    }

    /// Joins the schedule late, at `join`: every attempt scheduled before then counts as `lateSkipped` in the
    /// interval it was scheduled in, and the intervals already over are published as they were (empty but
    /// for that count), so the rows stay on the fleet's grid.
    mutating func skipUntilJoining(at join: Int64) {
        while nextBoundary <= join {
            counters.lateSkipped += pacer.skip(before: nextBoundary)
            publish(endNanos: nextBoundary, isFinal: false)
            nextBoundary = Self.boundary(nextBoundary + settings.intervalNanos, before: pacer.endNanos)
        }
        counters.lateSkipped += pacer.skip(before: join)
    }

    /// `t` if an interval ending then is not the last one (it ends before `end`), else `Int64.max`.
    static func boundary(_ t: Int64, before end: Int64) -> Int64 {
        t < end ? t : .max
    }

    mutating func publish(endNanos: Int64, isFinal: Bool) {
        counters.peakOpen = max(counters.peakOpen, table.openCount)
        mailbox.post(
            IntervalSample(
                index: interval, endNanos: endNanos, counters: counters,
                latency: latency.takeSnapshot(), open: table.openCount, backlog: backlog(at: endNanos),
                isFinal: isFinal))
        interval += 1
        counters = IntervalCounters()
        counters.peakOpen = table.openCount
    }

    /// Attempts due before `t` that were neither started nor missed yet (0 once the schedule has ended: what
    /// was left then is `notStarted`).
    func backlog(at t: Int64) -> Int {
        guard pacer.nextDeadline != nil, pacer.hasDue(at: t - 1) else { return 0 }
        return Int(max(0, pacer.scheduledCount(before: t) - pacer.next))
    }

    /// Closes what is still open after the drain; these are neither completed nor failed (one already
    /// failed by its HTTP status stays failed, and is not also unfinished).
    mutating func abandonOpenConnections() {
        var from: Int32 = 0
        while let fd = table.firstOpen(from: from) {
            if !table.slots[fd].verdictFailed { counters.unfinished += 1 }
            releaseInFlight(fd)
            from = fd &+ 1
        }
    }
}
