import TwloadEventLoop
import TwloadStats
import TwloadSystem

/// Where a connection of the built-in server is.
enum ServerConnectionState: UInt8, BitwiseCopyable {
    case free
    /// Accepted, or kept alive after a response (http); waiting for the next request (or, in client-close
    /// mode, for anything at all).
    case waitingForRequest
    /// Replied for the last time; waiting for the client's FIN (tcp under client-close).
    case waitingForFIN
    /// Held (`--hold`): the request is in (or none is awaited); the reply, if one is owed, and the close or
    /// the wait for the client's FIN come when the hold ends.
    case holding
}

/// Per-connection state of the built-in server, indexed by fd in `TaggedSlots` (24 bytes).
struct ServerSlot: TaggedSlot {
    var generation: UInt32 = 0
    /// The responses written on this connection.
    var responses: UInt32 = 0
    var state = ServerConnectionState.free
    /// Progress through the blank line that ends an HTTP request head.
    var headEnd: UInt8 = 0
    /// Before the first response: when the hold ends (accept + `holdNanos`; unused without a hold). After
    /// a response that keeps the connection alive: when the wait for the next request ends (with a
    /// keep-alive timeout), which tells the idle queue's latest entry for it from stale ones.
    var deadline: Int64 = 0

    var isOpen: Bool { state != .free }
    mutating func markFree() { state = .free }
}

/// The built-in server's event loop (runs on the server thread).
struct ServerLoop: ~Copyable {
    let settings: ServerSettings
    let listenFD: Int32
    let control: RunControl
    /// Asked when a run stops early: end every hold at once, so that held connections get their reply and
    /// close before the client's short drain gives up on them.
    let holdRelease: RunControl
    let epoll: Epoll
    let buffer = ReceiveBuffer()
    /// The reply that keeps the connection alive, and the last one (`Connection: close` in http).
    let reply: [UInt8]
    let closingReply: [UInt8]
    /// `settings.lastResponse` and `settings.closesAfterLastResponse`, at hand.
    let lastResponse: UInt32
    let closesAfterLastResponse: Bool
    let slots = TaggedSlots(capacity: 1024, empty: ServerSlot())
    var counters = ServerCounters()
    /// The connections held until their hold ends, in accept order (empty without `--hold`).
    var holds = DeadlineQueue(capacity: 1024)
    /// The connections kept alive, in the order their keep-alive timeouts end (empty without one).
    var idles: DeadlineQueue
    /// The hold in force: `settings.holdNanos`, and 0 once the server is stopping (see `endEveryHold`).
    var holdNanos: Int64
    var acceptPausedUntil: Int64 = 0
    /// Empty polls left before the loop blocks in epoll_wait again (see `run`).
    var recentlyBusy = 0
    /// When the last non-empty wait returned, and how many in a row came within `busyGapNanos`.
    var lastEventNanos: Int64 = 0
    var shortGaps = 0
    /// While busy, the loop sleeps this long between empty polls, up to `busyPolls` times (~1 ms in all).
    static let busyPollNanos: Int64 = 50_000
    static let busyPolls = 20
    static let busyGapNanos: Int64 = 200_000

    static let holdReleaseTag: UInt64 = 0xFFFF_FFFD
    static let listenTag: UInt64 = 0xFFFF_FFFE
    static let wakeTag: UInt64 = 0xFFFF_FFFF

    init(
        settings: ServerSettings, listenFD: Int32, control: RunControl, holdRelease: RunControl
    ) throws(SystemError) {
        self.settings = settings
        self.listenFD = listenFD
        self.control = control
        self.holdRelease = holdRelease
        self.reply = settings.reply(closing: false)
        self.closingReply = settings.reply(closing: true)
        self.lastResponse = settings.lastResponse
        self.closesAfterLastResponse = settings.closesAfterLastResponse
        self.holdNanos = settings.holdNanos
        self.idles = DeadlineQueue(capacity: settings.keepAliveTimeoutNanos > 0 ? 1024 : 1)
        let epoll = try Epoll(capacity: 512)
        try epoll.add(listenFD, .readable, tag: Self.listenTag)
        try epoll.add(control.wakeFD, .readable, tag: Self.wakeTag)
        if settings.holdNanos > 0 { try epoll.add(holdRelease.wakeFD, .readable, tag: Self.holdReleaseTag) }
        self.epoll = epoll
    }

    /// Serves until stopped, publishing the cumulative counters at `startNanos + k·intervalNanos`, k >= 1
    /// (the same boundaries as the client's intervals), with the boundary number.
    mutating func run(startNanos: Int64, intervalNanos: Int64, publish: (Int, ServerCounters) -> Void) {
        var boundary = 1
        var nextPublish = startNanos + intervalNanos
        var settleUntil = Int64.max
        while true {
            var now = MonotonicClock.now()
            if control.stopRequested {
                // Let closes already in flight arrive (they are counted), then stop.
                if settleUntil == .max {
                    settleUntil = now + 100_000_000
                    if holdNanos > 0 { endEveryHold() }
                }
                if counters.open == 0 || now >= settleUntil { break }
            }
            if acceptPausedUntil != 0 && now >= acceptPausedUntil {
                acceptPausedUntil = 0
                do { try epoll.modify(listenFD, .readable, tag: Self.listenTag) } catch { counters.errors += 1 }
            }
            if now >= holds.nextDeadline { endDueHolds(now: now) }
            if now >= idles.nextDeadline { closeIdleConnections(now: now) }
            while now >= nextPublish {
                publish(boundary, counters)
                boundary += 1
                nextPublish += intervalNanos
            }
            var wake = min(nextPublish, settleUntil, holds.nextDeadline, idles.nextDeadline)
            if acceptPausedUntil != 0 { wake = min(wake, acceptPausedUntil) }
            let n: Int
            if recentlyBusy > 0 && settleUntil == .max {
                // Busy: poll, and after an empty poll sleep briefly instead of blocking in epoll_wait. A
                // server blocked in epoll_wait makes every new connection wake it from the client's
                // connect() (a cross-CPU wake-up that costs the client ~15 % of its time here); a
                // sleeping one is not on any wait queue and picks the backlog up in one batch.
                n = wait(timeoutNanoseconds: 0)
                if n == 0 {
                    recentlyBusy -= 1
                    Sleep.nanoseconds(Self.busyPollNanos)
                }
            } else {
                n = wait(timeoutNanoseconds: max(0, wake - now))
            }
            now = MonotonicClock.now()
            if n > 0 {
                // Load is several events at once, or a run of waits each less than 200 us after the last
                // (above ~5k/s). A connection's accept and close a moment apart is not load: a slow run
                // keeps blocking and costs no polling.
                shortGaps = now - lastEventNanos < Self.busyGapNanos ? shortGaps + 1 : 0
                if n > 1 || shortGaps >= 4 { recentlyBusy = Self.busyPolls }
                lastEventNanos = now
            }
            for i in 0..<n { handle(flags: epoll.flags(at: i), tag: epoll.tag(at: i), now: now) }
        }
        for fd in 0..<Int32(slots.count) where slots[fd].isOpen { release(fd) }
        publish(Int.max, counters)
    }

    /// epoll_wait; a failure (not EINTR, which is zero events) is counted as a server error.
    mutating func wait(timeoutNanoseconds: Int64) -> Int {
        do {
            return try epoll.wait(timeoutNanoseconds: timeoutNanoseconds)
        } catch {
            counters.errors += 1
            return 0
        }
    }

    mutating func handle(flags: EpollEvents, tag: UInt64, now: Int64) {
        if tag == Self.wakeTag {
            // Seen once is enough: drop it, or its level-triggered readiness would spin the settle phase.
            do { try epoll.remove(control.wakeFD) } catch { counters.errors += 1 }
            return
        }
        if tag == Self.holdReleaseTag {
            // The run is stopping early (a signal): every hold ends now, once.
            do { try epoll.remove(holdRelease.wakeFD) } catch { counters.errors += 1 }
            if holdNanos > 0 { endEveryHold() }
            return
        }
        if tag == Self.listenTag {
            acceptBurst(now: now)
            return
        }
        guard let fd = slots.lookup(tag: tag) else { return }
        readable(fd, now: now)
    }

    /// Accepts until the backlog is empty (or 256 at a time, to stay fair to the other events).
    mutating func acceptBurst(now: Int64) {
        for _ in 0..<256 {
            switch Socket.accept(listenFD) {
            case .accepted(let fd):
                counters.accepted += 1
                accepted(fd, now: now)
            case .wouldBlock:
                return
            case .failed(let e):
                counters.errors += 1
                if e == .tooManyOpenFiles || e == .tooManyOpenFilesInSystem {
                    // Stop polling the listener for a moment instead of spinning on it.
                    acceptPausedUntil = now + 10_000_000
                    do { try epoll.modify(listenFD, [], tag: Self.listenTag) } catch { counters.errors += 1 }
                }
                return
            }
        }
    }

    mutating func accepted(_ fd: Int32, now: Int64) {
        do {
            try settings.linger.apply(to: fd)
        } catch {
            counters.errors += 1
            Socket.close(fd)
            return
        }
        let closesAtOnce = settings.close == .server && !settings.awaitRequest
        if closesAtOnce && holdNanos == 0 {
            counters.activeCloses += 1
            Socket.close(fd)
            return
        }
        // `now` was read before the accept burst began; a connection that reached the backlog during the
        // burst would lose that much of its hold, so a hold is counted from a fresh reading.
        let holdUntil = holdNanos > 0 ? MonotonicClock.now() &+ holdNanos : now
        let tag = slots.open(fd) { s in
            // With nothing to await, a held connection waits only for its hold to end.
            s.state = closesAtOnce ? .holding : .waitingForRequest
            s.responses = 0
            s.headEnd = 0
            s.deadline = holdUntil
        }
        counters.open += 1
        if holdNanos > 0 {
            if holds.count == holds.capacity {
                let table = slots
                holds.makeRoom { Self.stillHeld($0, in: table) != nil }
            }
            holds.push(deadline: holdUntil, fd: fd, generation: EpollTag.generation(tag))
        }
        do {
            try epoll.add(fd, [.readable, .readHangup], tag: tag)
        } catch {
            counters.errors += 1
            release(fd)
        }
    }

    /// Reads what arrived: each request gets its reply (and after the last one, the server's FIN or the
    /// wait for the client's), or the hold while one is in force; the client's FIN gets a close; an RST is
    /// counted as a reset.
    mutating func readable(_ fd: Int32, now: Int64) {
        while true {
            switch Socket.read(fd, into: buffer) {
            case .processed(let n):
                guard slots[fd].state == .waitingForRequest else { continue }
                if settings.wireProtocol == .http {
                    guard answerRequests(fd, buffer.prefix(n), now: now) else { return }
                    continue
                }
                // tcp: any bytes are the request.
                if holdStillApplies(fd, now: now) {
                    // The reply waits for the hold's end (`endDueHolds`); later bytes are read and dropped.
                    slots[fd].state = .holding
                    continue
                }
                guard respond(fd, now: now) else { return }
            case .endOfFile:
                counters.passiveCloses += 1
                release(fd)
                return
            case .wouldBlock:
                return
            case .failed(let e):
                if e == .connectionReset { counters.resets += 1 } else { counters.errors += 1 }
                release(fd)
                return
            }
        }
    }

    /// Whether a request complete at `now` waits for the connection's hold: only the first, and only
    /// until accept + hold.
    @inline(__always)
    func holdStillApplies(_ fd: Int32, now: Int64) -> Bool {
        guard holdNanos > 0 else { return false }
        let s = slots[fd]
        return s.responses == 0 && now < s.deadline
    }

    /// Sends the reply. After the connection's last one (`lastResponse`), closes first or, in tcp under
    /// client-close, waits for the client's FIN; before it (http keep-alive), waits for the next request,
    /// for at most the keep-alive timeout. Whether the connection is still open: false once it is closed,
    /// or released after a failed write.
    @inline(__always)
    mutating func respond(_ fd: Int32, now: Int64) -> Bool {
        let responses = slots[fd].responses &+ 1
        let last = responses >= lastResponse
        let written = (last ? closingReply : reply).withUnsafeBytes { Socket.write(fd, $0) }
        if case .failed = written {
            counters.resets += 1
            release(fd)
            return false
        }
        counters.requests += 1
        if last && closesAfterLastResponse {
            drainThenClose(fd)
            return false
        }
        slots.update(fd) { s in
            s.responses = responses
            s.state = last ? .waitingForFIN : .waitingForRequest
        }
        if !last && settings.keepAliveTimeoutNanos > 0 { awaitNextRequest(fd, now: now) }
        return true
    }

    /// Server-close: read anything still queued (closing with unread data would send RST), then close.
    mutating func drainThenClose(_ fd: Int32) {
        while case .processed = Socket.read(fd, into: buffer) {}
        counters.activeCloses += 1
        release(fd)
    }

    mutating func release(_ fd: Int32) {
        slots.release(fd)
        counters.open -= 1
        Socket.close(fd)
    }
}
