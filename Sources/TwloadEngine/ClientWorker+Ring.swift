import TwloadSystem

/// The experimental io_uring engine (`--engine io_uring`): the same loop, schedule, counters and samples as
/// epoll, with the socket calls queued in a ring instead of made one by one.
///
/// A connection is a blocking socket() made at once, then a linked connect → send → recv queued in the
/// ring; further recvs follow until the response is whole (or, under server close, until the server's
/// FIN), and the close is queued in the ring too. Everything queued in a loop pass goes to the kernel in
/// the one io_uring_enter that also waits for the next completions. A request's user data is the
/// connection's generation tag with the operation in bits 24–31 of the fd half (fds stay below 2^24), so a
/// completion for a closed connection is dropped, as a stale epoll event is.
///
/// The configuration refuses keep-alive (`--requests-per-connection` above 1, `--think`) and `--linger`
/// N > 0 (whose close blocks) with it. connect() is no call of its own here, so the connect-call latency
/// is not measured.
extension ClientWorker {
    /// How `release` closes a descriptor, decided once. A plain value, with `.now` at zero, so the common
    /// path's test is one byte compare; the other two go out of line (`closeOffTheLoop`).
    enum CloseRoute: UInt8 {
        /// close() at once.
        case now
        /// On the linger closer's thread (`--linger` N > 0 blocks in close()).
        case lingerCloser
        /// Queued in the ring.
        case ring
    }

    /// The operation a completion belongs to, in bits 24–31 of its user data.
    enum RingOp: UInt64 {
        case connect = 1
        case send = 2
        case receive = 3
        case close = 4
        case cancel = 5

        static let shift: UInt64 = 24
        static let mask: UInt64 = 0xFF << 24

        /// The operation's bits in a request's user data.
        @inline(__always)
        var bits: UInt64 { rawValue << Self.shift }
    }

    /// The ring for `settings`: room for every connection's completions at once, so none waits in the
    /// kernel's overflow list (three per new connection, one per later recv).
    static func ring(for settings: WorkerSettings) throws(SystemError) -> IOURing? {
        guard settings.engine == .ioUring else { return nil }
        let inFlight = max(settings.concurrency, min(settings.maxOpen, 16384))
        return try IOURing(entries: 4096, completionEntries: UInt32(max(8192, min(inFlight * 4, 65536))))
    }

    /// One attempt due at `scheduled`: socket() now, then connect (→ send → recv) queued in the ring.
    @inline(never)
    mutating func attempt(through ring: IOURing, scheduled: Int64, now: Int64) -> Int64 {
        guard let fd = newSocket(forRing: true, now: now) else { return now }
        let tag = table.open(fd, scheduled: scheduled, started: now)
        switch afterConnect {
        case .send:
            ring.connect(fd, to: target, userData: tag | RingOp.connect.bits, link: .next)
            ring.send(fd, UnsafeRawBufferPointer(ringRequest), userData: tag | RingOp.send.bits, link: .next)
            ring.receive(fd, into: ringBuffers.buffer(for: fd), userData: tag | RingOp.receive.bits)
        case .close:
            ring.connect(fd, to: target, userData: tag | RingOp.connect.bits)
        case .awaitPeer:
            ring.connect(fd, to: target, userData: tag | RingOp.connect.bits, link: .next)
            ring.receive(fd, into: ringBuffers.buffer(for: fd), userData: tag | RingOp.receive.bits)
        }
        return now
    }

    /// Handles every completion the ring holds, a batch at a time.
    @inline(never)
    mutating func handleCompletions(of ring: IOURing, now: Int64) {
        while true {
            let n = ring.reap()
            for i in 0..<n { complete(ring.completions[i], ring: ring, now: now) }
            if n < ring.completionCapacity { return }
        }
    }

    /// Dispatches one completion; those of closed connections (stale tags), closes, cancellations and the
    /// stop eventfd's poll are dropped here.
    @inline(__always)
    mutating func complete(_ c: RingCompletion, ring: IOURing, now: Int64) {
        guard let fd = table.lookup(tag: c.userData & ~RingOp.mask) else { return }
        switch (c.userData & RingOp.mask) >> RingOp.shift {
        case RingOp.connect.rawValue: connected(fd, result: c.result, now: now)
        case RingOp.send.rawValue: sent(fd, result: c.result, ring: ring)
        case RingOp.receive.rawValue: received(fd, result: c.result, ring: ring, now: now)
        default: break
        }
    }

    /// The handshake's completion: record the latency, then go on as the run asks.
    @inline(__always)
    mutating func connected(_ fd: Int32, result: Int32, now: Int64) {
        guard result >= 0 else {
            let e = Errno(rawValue: -result)
            noteFirstEaddrnotavail(e, at: now)
            fail(fd, errno: e)
            return
        }
        counters.established &+= 1
        latency.connect.record(nanos: now &- table.slots[fd].scheduledNanos)
        switch afterConnect {
        case .send: table.beginExchange(fd)
        case .close: finishWithoutExchange(fd, peerClosedFirst: false)
        case .awaitPeer: table.setState(fd, .awaitingEOF)
        }
    }

    /// The request's send: all of it moves the connection on to its response (whose recv is queued
    /// already); a short send queues the rest, and the recv that its link cancelled again.
    @inline(__always)
    mutating func sent(_ fd: Int32, result: Int32, ring: IOURing) {
        guard result >= 0 else {
            fail(fd, errno: Errno(rawValue: -result))
            return
        }
        table.addSent(fd, Int(result))
        let sent = Int(table.slots[fd].sent)
        if sent == settings.request.count {
            counters.requests &+= 1
            table.setState(fd, .receiving)
            return
        }
        let tag = table.tag(of: fd)
        ring.send(
            fd, UnsafeRawBufferPointer(rebasing: ringRequest[sent..<settings.request.count]),
            userData: tag | RingOp.send.bits, link: .next)
        ring.receive(fd, into: ringBuffers.buffer(for: fd), userData: tag | RingOp.receive.bits)
    }

    /// A recv's completion: response bytes, the server's FIN (0), or an error.
    mutating func received(_ fd: Int32, result: Int32, ring: IOURing, now: Int64) {
        if result > 0 {
            if table.slots[fd].state == .receiving && !response(fd, count: Int(result), now: now) { return }
            ring.receive(fd, into: ringBuffers.buffer(for: fd), userData: table.tag(of: fd) | RingOp.receive.bits)
        } else if result == 0 {
            serverClosed(fd, now: now)
        } else if -result == Errno.canceled.rawValue && table.slots[fd].state == .sending {
            // The link of a short send was cut: `sent` queued the rest and a new recv.
        } else {
            fail(fd, errno: Errno(rawValue: -result))
        }
    }

    /// Feeds `count` bytes of the response to the protocol. Returns true when the connection reads on, false
    /// when it is finished (or failed).
    @inline(__always)
    mutating func response(_ fd: Int32, count: Int, now: Int64) -> Bool {
        guard let whole = takeResponse(fd, ringBuffers.prefix(of: fd, count), now: now) else { return false }
        guard whole else { return true }
        if settings.close == .client {
            finish(fd, peerClosedFirst: false)
            return false
        }
        table.setState(fd, .awaitingEOF)
        return true
    }
}

/// Which engine a copy of the loop is compiled for (`ClientWorker.loop`): a constant in each, so the
/// epoll copy has no test for the ring on its per-connection path.
protocol SocketPath {
    static var usesRing: Bool { get }
}

/// The epoll engine's copy of the loop.
enum EpollPath: SocketPath {
    static var usesRing: Bool { false }
}

/// The io_uring engine's copy of the loop.
enum RingPath: SocketPath {
    static var usesRing: Bool { true }
}
