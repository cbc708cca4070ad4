import TwloadSystem

/// What each step of a connection's life does: start, connected, writable, readable, close, fail.
/// Every error path ends in `fail`, which counts the errno once and releases the slot.
extension ClientWorker {
    /// One connect attempt that was due at `scheduled` (its lag is the caller's to record). Returns the clock
    /// read after connect().
    @inline(__always)
    mutating func attempt<P: SocketPath>(scheduled: Int64, now: Int64, _: P.Type) -> Int64 {
        if P.usesRing { return attempt(through: ring.unsafelyUnwrapped, scheduled: scheduled, now: now) }
        guard let fd = newSocket(forRing: false, now: now) else { return now }
        let result = Socket.connect(fd, to: target)
        let after = MonotonicClock.now()
        let callNanos = after &- now
        latency.connectCall.record(nanos: callNanos)
        if callNanos > 1_000_000 && counters.firstSlowConnectCallNanos < 0 {
            counters.firstSlowConnectCallNanos = now - settings.startNanos
        }
        switch result {
        case .inProgress:
            let tag = table.open(fd, scheduled: scheduled, started: now)
            do {
                try epoll.add(fd, registration, tag: tag)
            } catch {
                registrationFailed(fd, errno: error.errno)
            }
        case .connected:
            connectedAtOnce(fd, scheduled: scheduled, started: now, after: after)
        case .failed(let e):
            connectFailed(fd, errno: e, at: after)
        }
        return after
    }

    /// A new socket for one attempt, counted as attempted, with its options set: non-blocking for epoll,
    /// blocking for the ring (`forRing`). nil when socket() or an option failed (counted, the socket closed).
    @inline(__always)
    mutating func newSocket(forRing: Bool, now: Int64) -> Int32? {
        counters.attempted &+= 1
        let fd: Int32
        do {
            fd = forRing ? try Socket.tcpForRing(family: family) : try Socket.tcp(family: family)
        } catch {
            socketFailed(errno: error.errno, now: now)
            return nil
        }
        do {
            try prepare(fd)
        } catch {
            connectFailed(fd, errno: error.errno, at: now)
            return nil
        }
        return fd
    }

    // The rare outcomes of an attempt, out of line so that the common path keeps its registers.

    /// socket() failed: counted; EMFILE/ENFILE also pauses attempts for a moment.
    @inline(never)
    mutating func socketFailed(errno e: Errno, now: Int64) {
        counters.countFailure(errno: e)
        if e == .tooManyOpenFiles || e == .tooManyOpenFilesInSystem {
            emfileUntil = now + settings.emfileBackoffNanos
        }
    }

    /// Socket options or connect() failed: counted, and the socket closed.
    @inline(never)
    mutating func connectFailed(_ fd: Int32, errno e: Errno, at t: Int64) {
        counters.countFailure(errno: e)
        noteFirstEaddrnotavail(e, at: t)
        Socket.close(fd)
    }

    /// epoll_ctl(ADD) refused an open connection: counted and closed.
    @inline(never)
    mutating func registrationFailed(_ fd: Int32, errno e: Errno) {
        notePeakOpen()
        fail(fd, errno: e)
    }

    /// connect() completed at once (possible, though Linux reports EINPROGRESS even on loopback).
    @inline(never)
    mutating func connectedAtOnce(_ fd: Int32, scheduled: Int64, started: Int64, after: Int64) {
        let tag = table.open(fd, scheduled: scheduled, started: started)
        notePeakOpen()
        do {
            try epoll.add(fd, registration, tag: tag)
            established(fd, flags: [], now: after)
        } catch {
            fail(fd, errno: error.errno)
        }
    }

    /// Socket options before connect(): linger, then source address and source port range if asked for.
    @inline(__always)
    mutating func prepare(_ fd: Int32) throws(SystemError) {
        if let l = lingerSeconds { try SocketOptions.setLinger(fd, seconds: l) }
        if !source.isPlain { try source.prepare(fd) }
    }

    /// Raises the interval's peak of open connections to the current count. Only attempts raise the
    /// count, so this runs once at the end of each burst of attempts and before the rare release
    /// inside an attempt, rather than once per connection.
    @inline(__always)
    mutating func notePeakOpen() {
        if table.openCount > counters.peakOpen { counters.peakOpen = table.openCount }
    }

    mutating func noteFirstEaddrnotavail(_ e: Errno, at t: Int64) {
        if e == .addressNotAvailable && counters.firstEaddrnotavailNanos < 0 {
            counters.firstEaddrnotavailNanos = t - settings.startNanos
        }
    }

    /// Dispatches one epoll event; stale tags (closed and reused fds) are dropped here.
    @inline(__always)
    mutating func handle(flags: EpollEvents, tag: UInt64, now: Int64) {
        guard let fd = table.lookup(tag: tag) else {
            // A stale event, or the stop eventfd's (whose fd bits, all ones, match no slot): asked only here,
            // so a connection's event pays nothing for it.
            if tag == Self.wakeTag { try? epoll.remove(control.wakeFD) }
            return
        }
        switch table.slots[fd].state {
        case .connecting:
            // The common case first: writable with neither error nor hang-up.
            if flags.isDisjoint(with: [.error, .hangup]) {
                if flags.contains(.writable) { established(fd, flags: flags, now: now) }
            } else if flags.contains(.error) || !flags.contains(.writable) {
                // A hang-up with no pending error is the refused handshake's RST.
                failWithPendingError(fd, orElse: .connectionRefused)
            } else {
                established(fd, flags: flags, now: now)
            }
        case .sending:
            if flags.contains(.error) {
                failWithPendingError(fd, orElse: nil)
            } else {
                writeRequest(fd, flags: flags, now: now)
            }
        case .receiving, .awaitingEOF, .thinking:
            // While thinking, only the server's close (its idle timeout) is expected: `readable` sees the EOF.
            readable(fd, flags: flags, now: now)
        case .free:
            break
        }
    }

    /// The handshake completed: record the latency, then send, close or wait for the peer.
    @inline(__always)
    mutating func established(_ fd: Int32, flags: EpollEvents, now: Int64) {
        counters.established &+= 1
        latency.connect.record(nanos: now &- table.slots[fd].scheduledNanos)
        switch afterConnect {
        case .send:
            table.beginExchange(fd)
            writeRequest(fd, flags: flags, now: now)
        case .close:
            // Nothing to exchange: closed at once (so no state change before the release).
            finishWithoutExchange(fd, peerClosedFirst: flags.contains(.readHangup))
        case .awaitPeer:
            table.setState(fd, .awaitingEOF)
            if flags.contains(.readable) || flags.contains(.readHangup) {
                readable(fd, flags: flags, now: now)
            }
        }
    }

    /// Writes the rest of the request until it is all out or the socket is full (edge-triggered: the next
    /// EPOLLOUT edge resumes it); once it is all out, waits for the response.
    mutating func writeRequest(_ fd: Int32, flags: EpollEvents, now: Int64) {
        let isFinal =
            settings.finalRequest != nil && Int(table.slots[fd].exchanges) + 1 == settings.requestsPerConnection
        while true {
            let sent = Int(table.slots[fd].sent)
            let (result, count) =
                isFinal ? write(fd, settings.finalRequest!, from: sent) : write(fd, settings.request, from: sent)
            switch result {
            case .processed(let n):
                table.addSent(fd, n)
                guard sent + n == count else { continue }
                counters.requests &+= 1
                table.setState(fd, .receiving)
                // Edge-triggered: a response that arrived with this event's edge will not be reported
                // again, so read now (usually EAGAIN at once).
                if flags.contains(.readable) || flags.contains(.readHangup) { readable(fd, flags: flags, now: now) }
                return
            case .wouldBlock, .endOfFile:
                return
            case .failed(let e):
                if serverClosedBeforeRequest(fd, errno: e) {
                    finish(fd, peerClosedFirst: true)
                } else {
                    fail(fd, errno: e)
                }
                return
            }
        }
    }

    /// Writes `bytes` from offset `sent`; returns the result and the request's whole length.
    @inline(__always)
    func write(_ fd: Int32, _ bytes: [UInt8], from sent: Int) -> (IOResult, Int) {
        let result = bytes.withUnsafeBytes { Socket.write(fd, UnsafeRawBufferPointer(rebasing: $0[sent...])) }
        return (result, bytes.count)
    }

    /// Reads until EAGAIN, feeding the response to the protocol and closing when the exchange is over.
    mutating func readable(_ fd: Int32, flags: EpollEvents, now: Int64) {
        while true {
            switch Socket.read(fd, into: buffer) {
            case .processed(let n):
                guard table.slots[fd].state == .receiving else { continue }
                guard let whole = takeResponse(fd, buffer.prefix(n), now: now) else { return }
                guard whole else { continue }
                if settings.requestsPerConnection > 1 && keepAlive(fd, flags: flags, now: now) { return }
                if settings.close == .client {
                    finish(fd, peerClosedFirst: flags.contains(.readHangup))
                    return
                }
                table.setState(fd, .awaitingEOF)
            case .endOfFile:
                if table.slots[fd].state == .receiving && !table.slots[fd].gotFirstByte
                    && table.slots[fd].exchanges > 0
                {
                    // The server closed between responses (its request limit or idle timeout): no error.
                    finish(fd, peerClosedFirst: true)
                    return
                }
                serverClosed(fd, now: now)
                return
            case .wouldBlock:
                return
            case .failed(let e):
                fail(fd, errno: e)
                return
            }
        }
    }

    /// Bytes of the response on `fd` (which is receiving): the first byte's time, then the protocol. True when
    /// the response is whole (and counted), false when more is to come, nil when it is malformed (counted,
    /// and the connection released). Both engines feed their reads through it.
    @inline(__always)
    mutating func takeResponse(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, now: Int64) -> Bool? {
        if !table.slots[fd].gotFirstByte { firstByte(fd, now: now) }
        guard settings.wireProtocol == .http else {
            latency.response.record(nanos: now &- table.slots[fd].scheduledNanos)
            counters.responses &+= 1
            return true
        }
        switch table.parse(fd, bytes) {
        case .needMore:
            return false
        case .complete(let status):
            responseComplete(fd, status: status, now: now)
            return true
        case .malformed, .truncated:
            protocolError(fd)
            return nil
        }
    }

    /// The server's FIN ends the exchange: an HTTP response that runs to the close is complete here (one cut
    /// short is a protocol error), and the close is the server's. Both engines end a read with it.
    mutating func serverClosed(_ fd: Int32, now: Int64) {
        if table.slots[fd].state == .receiving && settings.wireProtocol == .http {
            guard case .complete(let status) = table.parseEndOfFile(fd) else {
                protocolError(fd)
                return
            }
            responseComplete(fd, status: status, now: now)
        }
        finish(fd, peerClosedFirst: true)
    }

    /// The response's first byte: time to first byte, from the schedule.
    @inline(__always)
    mutating func firstByte(_ fd: Int32, now: Int64) {
        table.slots[fd].gotFirstByte = true
        latency.firstByte.record(nanos: now &- table.slots[fd].scheduledNanos)
    }

    /// A whole HTTP response: its time from the schedule and its status class; a status `--expect-status`
    /// does not list fails the connection now (its close still follows the close side).
    @inline(__always)
    mutating func responseComplete(_ fd: Int32, status: UInt16, now: Int64) {
        latency.response.record(nanos: now &- table.slots[fd].scheduledNanos)
        counters.responses &+= 1
        let expected = settings.expectedStatus.contains(status)
        counters.countResponse(status: status, expected: expected)
        if !expected { table.slots[fd].verdictFailed = true }
    }

    /// A completed exchange: count who closed first, then close.
    @inline(__always)
    mutating func finish(_ fd: Int32, peerClosedFirst: Bool) {
        if !table.slots[fd].verdictFailed { counters.completed &+= 1 }
        if peerClosedFirst { counters.passiveCloses &+= 1 } else { counters.activeCloses &+= 1 }
        release(fd)
    }

    /// `finish` for a connection that exchanged nothing (so no status can have failed it): the common path
    /// of a plain TCP run, kept free of the verdict check.
    @inline(__always)
    mutating func finishWithoutExchange(_ fd: Int32, peerClosedFirst: Bool) {
        counters.completed &+= 1
        if peerClosedFirst { counters.passiveCloses &+= 1 } else { counters.activeCloses &+= 1 }
        release(fd)
    }

    mutating func protocolError(_ fd: Int32) {
        counters.protocolErrors += 1
        counters.failed += 1
        counters.otherErrors += 1
        release(fd)
    }

    /// A failed attempt or connection: counted under its errno, then closed.
    mutating func fail(_ fd: Int32, errno e: Errno) {
        countFailure(fd, errno: e)
        release(fd)
    }

    /// Counts `fd`'s failure under its errno, unless its HTTP status failed it already (counted then).
    @inline(__always)
    mutating func countFailure(_ fd: Int32, errno e: Errno) {
        if !table.slots[fd].verdictFailed { counters.countFailure(errno: e) }
    }

    /// An error event: fails the connection with the socket's pending error, or with `fallback` when none is
    /// pending (nil: counted under `other_errors`). A getsockopt that fails counts under its own errno.
    @inline(never)
    mutating func failWithPendingError(_ fd: Int32, orElse fallback: Errno?) {
        switch Socket.pendingError(fd) {
        case .error(let e), .unreadable(let e):
            fail(fd, errno: e)
        case .none:
            if let fallback {
                fail(fd, errno: fallback)
            } else {
                if !table.slots[fd].verdictFailed { counters.countOtherFailure() }
                release(fd)
            }
        }
    }

    /// Frees the slot and closes the descriptor (off the loop when SO_LINGER N>0 would block; through the
    /// ring on io_uring, where nothing of the connection is in flight any more by now).
    @inline(__always)
    mutating func release(_ fd: Int32) {
        table.release(fd)
        if closeRoute == .now {
            Socket.close(fd)
        } else {
            closeOffTheLoop(fd)
        }
    }

    /// `release`'s close on the linger closer's thread or through the ring.
    @inline(never)
    func closeOffTheLoop(_ fd: Int32) {
        if closeRoute == .ring {
            ring.unsafelyUnwrapped.close(fd, userData: RingOp.close.bits, link: .quietOnSuccess)
        } else {
            try? epoll.remove(fd)
            closer.unsafelyUnwrapped.close(fd)
        }
    }

    /// `release` for a connection the engine may still be waiting on (a timeout, the end of the drain). On
    /// io_uring its requests in flight are cancelled first, and the close runs after the cancellation
    /// whatever its result; both go in with the same submission, before any later socket() can be handed
    /// the same fd.
    mutating func releaseInFlight(_ fd: Int32) {
        guard let ring else { return release(fd) }
        table.release(fd)
        ring.cancelAll(on: fd, userData: RingOp.cancel.bits, link: .always)
        ring.close(fd, userData: RingOp.close.bits, link: .quietOnSuccess)
    }
}
