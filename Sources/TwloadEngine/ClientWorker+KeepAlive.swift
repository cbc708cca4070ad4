import TwloadEventLoop
import TwloadSystem

/// Keep-alive (`--requests-per-connection`): the next request on the same connection, at once or after a
/// `--think` pause, and the server's close between requests. A plain connection (one request) never comes
/// here.
extension ClientWorker {
    /// After a response on a connection that carries several: starts the next request (or its pause), or
    /// waits for the server's FIN when the response said `Connection: close`. Returns false when the
    /// connection has carried all its requests, so that the close side acts as usual, or when the peer
    /// already closed.
    @inline(never)
    mutating func keepAlive(_ fd: Int32, flags: EpollEvents, now: Int64) -> Bool {
        let done = table.slots[fd].exchanges &+ 1
        table.slots[fd].exchanges = done
        guard Int(done) < settings.requestsPerConnection, !flags.contains(.readHangup) else { return false }
        if settings.wireProtocol == .http && table.slots[fd].http.connectionClose {
            // The server closes after this response, before the connection carried all its requests (its
            // request limit): nothing more is sent, and the close is the server's.
            table.setState(fd, .awaitingEOF)
            return true
        }
        if settings.thinkNanos > 0 {
            think(fd, now: now)
        } else {
            table.nextExchange(fd, now: now)
            writeRequest(fd, flags: [], now: now)
        }
        return true
    }

    /// Pauses `fd` for `--think` before its next request. The pause is the same for every connection, so
    /// the queue stays in deadline order. A server that closes the idle connection meanwhile is seen by
    /// `readable` (its EOF), which ends the connection as the server's close.
    mutating func think(_ fd: Int32, now: Int64) {
        let due = now &+ settings.thinkNanos
        table.beginThinking(fd, until: due)
        if thinks.count == thinks.capacity {
            let slots = table.slots
            thinks.makeRoom { Self.stillThinking($0, in: slots) != nil }
        }
        thinks.push(deadline: due, fd: fd, generation: EpollTag.generation(table.tag(of: fd)))
    }

    /// Sends the next request of every connection whose pause ended by `now`; entries for connections that
    /// ended during their pause are skipped.
    @inline(never)
    mutating func sendAfterThinking(_ now: Int64) {
        while let e = thinks.popDue(now: now) {
            guard let fd = Self.stillThinking(e, in: table.slots) else { continue }
            table.nextExchange(fd, now: now)
            writeRequest(fd, flags: [], now: now)
        }
    }

    /// The fd of `e` if that very connection (same fd and generation) is still in the pause that queued it.
    static func stillThinking(_ e: DeadlineEntry, in slots: TaggedSlots<ConnectionSlot>) -> Int32? {
        guard let fd = slots.lookup(tag: e.tag) else { return nil }
        let s = slots[fd]
        return s.state == .thinking && s.startedNanos == e.deadline ? fd : nil
    }

    /// Whether a failed write is the server having closed the connection between two requests (its
    /// keep-alive timeout or limit crossed our next request): EPIPE or ECONNRESET before any byte of a
    /// request after the first. That is the server's close, not a failure.
    func serverClosedBeforeRequest(_ fd: Int32, errno e: Errno) -> Bool {
        let s = table.slots[fd]
        return s.exchanges > 0 && s.sent == 0 && (e == .brokenPipe || e == .connectionReset)
    }
}
