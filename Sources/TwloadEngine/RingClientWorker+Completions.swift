import TwloadSystem

/// What each step of a connection's life does in the io_uring engine: the attempt that queues it, and the
/// completion of its connect, send and recvs. Every error path ends in `fail`, which counts the errno once
/// and releases the connection.
extension RingClientWorker {
    /// One attempt due at `scheduled`: socket() now, then connect (→ send → recv) queued in the ring.
    @inline(__always)
    mutating func attempt(scheduled: Int64, now: Int64) -> Int64 {
        counters.attempted &+= 1
        let fd: Int32
        do {
            fd = try Socket.tcpForRing(family: family)
        } catch {
            socketFailed(errno: error.errno, now: now)
            return now
        }
        if lingerSeconds != nil || !source.isPlain {
            do {
                if let l = lingerSeconds { try SocketOptions.setLinger(fd, seconds: l) }
                if !source.isPlain { try source.prepare(fd) }
            } catch {
                prepareFailed(fd, errno: error.errno, now: now)
                return now
            }
        }
        let tag = table.open(fd, scheduled: scheduled, started: now)
        switch afterConnect {
        case .send:
            ring.connect(fd, to: target, userData: tag | Op.connect.bits, link: .next)
            ring.send(fd, UnsafeRawBufferPointer(request), userData: tag | Op.send.bits, link: .next)
            ring.receive(fd, into: buffers.buffer(for: fd), userData: tag | Op.receive.bits)
        case .close:
            ring.connect(fd, to: target, userData: tag | Op.connect.bits)
        case .awaitPeer:
            ring.connect(fd, to: target, userData: tag | Op.connect.bits, link: .next)
            ring.receive(fd, into: buffers.buffer(for: fd), userData: tag | Op.receive.bits)
        }
        return now
    }

    /// socket() failed: counted; EMFILE/ENFILE also pauses attempts for a moment.
    @inline(never)
    mutating func socketFailed(errno e: Errno, now: Int64) {
        counters.countFailure(errno: e)
        if e == .tooManyOpenFiles || e == .tooManyOpenFilesInSystem {
            emfileUntil = now + settings.emfileBackoffNanos
        }
    }

    /// A socket option or bind() failed: counted, and the socket closed.
    @inline(never)
    mutating func prepareFailed(_ fd: Int32, errno e: Errno, now: Int64) {
        counters.countFailure(errno: e)
        noteFirstEaddrnotavail(e, at: now)
        Socket.close(fd)
    }

    mutating func noteFirstEaddrnotavail(_ e: Errno, at t: Int64) {
        if e == .addressNotAvailable && counters.firstEaddrnotavailNanos < 0 {
            counters.firstEaddrnotavailNanos = t - settings.startNanos
        }
    }

    /// Dispatches one completion; those of closed connections (stale tags), closes and cancellations are
    /// dropped here.
    @inline(__always)
    mutating func complete(_ c: RingCompletion, now: Int64) {
        guard let fd = table.lookup(tag: c.userData & ~Self.opMask) else { return }
        switch (c.userData & Self.opMask) >> Self.opShift {
        case Op.connect.rawValue: connected(fd, result: c.result, now: now)
        case Op.send.rawValue: sent(fd, result: c.result)
        case Op.receive.rawValue: received(fd, result: c.result, now: now)
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
        case .close: finishWithoutExchange(fd)
        case .awaitPeer: table.setState(fd, .awaitingEOF)
        }
    }

    /// The request's send: all of it moves the connection on to its response (whose recv is queued
    /// already); a short send queues the rest, and the recv that its link cancelled again.
    @inline(__always)
    mutating func sent(_ fd: Int32, result: Int32) {
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
            fd, UnsafeRawBufferPointer(rebasing: request[sent..<settings.request.count]),
            userData: tag | Op.send.bits, link: .next)
        ring.receive(fd, into: buffers.buffer(for: fd), userData: tag | Op.receive.bits)
    }

    /// A recv's completion: response bytes, the server's FIN (0), or an error.
    mutating func received(_ fd: Int32, result: Int32, now: Int64) {
        if result > 0 {
            if table.slots[fd].state == .receiving && !response(fd, count: Int(result), now: now) { return }
            receiveAgain(fd)
        } else if result == 0 {
            endOfFile(fd, now: now)
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
        if !table.slots[fd].gotFirstByte {
            table.slots[fd].gotFirstByte = true
            latency.firstByte.record(nanos: now &- table.slots[fd].scheduledNanos)
        }
        if settings.wireProtocol == .http {
            switch table.parse(fd, buffers.prefix(of: fd, count)) {
            case .needMore: return true
            case .complete(let status): responseComplete(fd, status: status, now: now)
            case .malformed, .truncated:
                protocolError(fd)
                return false
            }
        } else {
            latency.response.record(nanos: now &- table.slots[fd].scheduledNanos)
            counters.responses &+= 1
        }
        if settings.close == .client {
            finish(fd, peerClosedFirst: false)
            return false
        }
        table.setState(fd, .awaitingEOF)
        return true
    }

    /// The server's FIN: ends the exchange (an HTTP response that runs to the close is complete here).
    mutating func endOfFile(_ fd: Int32, now: Int64) {
        if table.slots[fd].state == .receiving && settings.wireProtocol == .http {
            guard case .complete(let status) = table.parseEndOfFile(fd) else {
                protocolError(fd)
                return
            }
            responseComplete(fd, status: status, now: now)
        }
        finish(fd, peerClosedFirst: true)
    }

    @inline(__always)
    func receiveAgain(_ fd: Int32) {
        ring.receive(fd, into: buffers.buffer(for: fd), userData: table.tag(of: fd) | Op.receive.bits)
    }

    /// A whole HTTP response: its time and status class; a status `--expect-status` does not list fails it.
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

    /// Plain TCP with nothing to exchange, closed by the client as soon as it is connected.
    @inline(__always)
    mutating func finishWithoutExchange(_ fd: Int32) {
        counters.completed &+= 1
        counters.activeCloses &+= 1
        release(fd)
    }

    mutating func protocolError(_ fd: Int32) {
        counters.protocolErrors += 1
        counters.failed += 1
        counters.otherErrors += 1
        release(fd)
    }

    /// A failed connection: counted under its errno (unless its HTTP status failed it already), then closed.
    /// Requests linked behind the failed one complete as cancelled, under the old tag, and are dropped.
    mutating func fail(_ fd: Int32, errno e: Errno) {
        if !table.slots[fd].verdictFailed { counters.countFailure(errno: e) }
        release(fd)
    }

    /// Frees the slot and queues the close. Nothing of the connection is in flight any more.
    @inline(__always)
    mutating func release(_ fd: Int32) {
        table.release(fd)
        ring.close(fd, userData: Op.close.bits, link: .quietOnSuccess)
    }

    /// Frees the slot of a connection that may have requests in flight (a timeout, the end of the drain):
    /// they are cancelled first, and the close runs after the cancellation whatever its result. Both go in
    /// with the same submission, before any later socket() can be handed the same fd.
    mutating func releaseInFlight(_ fd: Int32) {
        table.release(fd)
        ring.cancelAll(on: fd, userData: Op.cancel.bits, link: .always)
        ring.close(fd, userData: Op.close.bits, link: .quietOnSuccess)
    }
}

extension RingClientWorker.Op {
    /// The operation's bits in a request's user data.
    @inline(__always)
    var bits: UInt64 { rawValue << RingClientWorker.opShift }
}
