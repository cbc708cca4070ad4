import TwloadEventLoop
import TwloadStats
import TwloadSystem

/// Where a connection of the built-in server is.
enum ServerConnectionState: UInt8, BitwiseCopyable {
    case free
    /// Accepted; waiting for the request (or, in client-close mode, for anything at all).
    case waitingForRequest
    /// Replied; waiting for the client's FIN.
    case waitingForFIN
    /// Held (`--hold`): the request is in (or none is awaited); the reply, if one is owed, and the close or
    /// the wait for the client's FIN come when the hold ends.
    case holding
}

/// Per-connection state of the built-in server, indexed by fd in `TaggedSlots`.
struct ServerSlot: TaggedSlot {
    var generation: UInt32 = 0
    var state = ServerConnectionState.free
    /// Progress through the blank line that ends an HTTP request head.
    var headEnd: UInt8 = 0
    /// When the hold of this connection ends (accept + `holdNanos`); unused without a hold.
    var holdUntil: Int64 = 0

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
    let reply: [UInt8]
    let slots = TaggedSlots(capacity: 1024, empty: ServerSlot())
    var counters = ServerCounters()
    /// The connections held until their hold ends, in accept order (empty without `--hold`).
    var holds = HoldQueue(capacity: 1024)
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
        self.reply = settings.reply
        self.holdNanos = settings.holdNanos
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
            while now >= nextPublish {
                publish(boundary, counters)
                boundary += 1
                nextPublish += intervalNanos
            }
            var wake = min(nextPublish, settleUntil, holds.nextDeadline)
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
        let holdUntil = now &+ holdNanos
        let tag = slots.open(fd) { s in
            // With nothing to await, a held connection waits only for its hold to end.
            s.state = closesAtOnce ? .holding : .waitingForRequest
            s.headEnd = 0
            s.holdUntil = holdUntil
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

    /// Reads what arrived: a request gets the reply (and, in server-close mode, the first FIN), or the
    /// hold while one is in force; the client's FIN gets a close; an RST is counted as a reset.
    mutating func readable(_ fd: Int32, now: Int64) {
        while true {
            switch Socket.read(fd, into: buffer) {
            case .processed(let n):
                guard slots[fd].state == .waitingForRequest, requestComplete(fd, buffer.prefix(n)) else {
                    continue
                }
                if holdNanos > 0 && now < slots[fd].holdUntil {
                    // The reply waits for the hold's end (`endDueHolds`); later bytes are read and dropped.
                    slots[fd].state = .holding
                    continue
                }
                guard respond(fd) else { return }
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

    /// Sends the reply, then closes first (server-close) or waits for the client's FIN (client-close).
    /// Whether the connection is still open: false once it is closed, or released after a failed write.
    @inline(__always)
    mutating func respond(_ fd: Int32) -> Bool {
        let written = reply.withUnsafeBytes { Socket.write(fd, $0) }
        if case .failed = written {
            counters.resets += 1
            release(fd)
            return false
        }
        if settings.close == .server {
            drainThenClose(fd)
            return false
        }
        slots[fd].state = .waitingForFIN
        return true
    }

    /// Server-close: read anything still queued (closing with unread data would send RST), then close.
    mutating func drainThenClose(_ fd: Int32) {
        while case .processed = Socket.read(fd, into: buffer) {}
        counters.activeCloses += 1
        release(fd)
    }

    /// Whether these bytes finish the request: any bytes for tcp, the blank line after the head for http.
    /// `headEnd` is 0 inside a line, 1 just after "\n", 2 after "\n\r", 3 once the blank line was seen.
    mutating func requestComplete(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard settings.wireProtocol == .http else { return true }
        var m = slots[fd].headEnd
        for b in bytes where m != 3 {
            switch b {
            case 10: m = (m == 1 || m == 2) ? 3 : 1
            case 13: m = m == 1 ? 2 : 0
            default: m = 0
            }
        }
        slots[fd].headEnd = m
        return m == 3
    }

    mutating func release(_ fd: Int32) {
        slots.release(fd)
        counters.open -= 1
        Socket.close(fd)
    }
}
