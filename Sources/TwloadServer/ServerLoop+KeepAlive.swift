import TwloadEventLoop
import TwloadSystem

/// HTTP keep-alive, as nginx does it: the built-in server answers every request of a connection in turn,
/// up to `ServerSettings.maxRequests` (the last response carries `Connection: close` and the server closes
/// first after it), and closes a connection that waits longer than `keepAliveTimeoutNanos` for its next
/// request. Requests have no body and end at their blank line; the parsing state lives in the slot
/// (`headEnd`), so a request split across reads and two requests in one read are both answered in order.
/// The idle deadlines go into a FIFO ring like the holds' (one timeout for all, so pushes come in deadline
/// order): no timer, allocation or dictionary per connection.
extension ServerLoop {
    /// Answers, in order, each request these bytes complete. Whether the connection is still open: false
    /// once the last response closed it (the bytes after that request are dropped with it) or a write
    /// failed. The first request waits for the hold while one is in force; the bytes after it are dropped.
    /// `headEnd` is 0 inside a line, 1 just after "\n", 2 after "\n\r"; the next "\n" ends the head.
    mutating func answerRequests(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, now: Int64) -> Bool {
        var m = slots[fd].headEnd
        for b in bytes {
            switch b {
            case 10:
                if m == 0 {
                    m = 1
                    continue
                }
            case 13:
                m = m == 1 ? 2 : 0
                continue
            default:
                m = 0
                continue
            }
            // A blank line: the request is complete.
            m = 0
            slots[fd].headEnd = 0
            if holdStillApplies(fd, now: now) {
                // The reply waits for the hold's end (`endDueHolds`); later bytes are read and dropped.
                slots[fd].state = .holding
                return true
            }
            guard respond(fd, now: now) else { return false }
            // Open after a response means kept alive (http never waits for a FIN): on to the next request.
        }
        slots[fd].headEnd = m
        return true
    }

    /// Starts the keep-alive timeout of a connection that was just answered and stays open: it closes at
    /// `now + keepAliveTimeoutNanos` unless its next request is complete by then.
    mutating func awaitNextRequest(_ fd: Int32, now: Int64) {
        let deadline = now &+ settings.keepAliveTimeoutNanos
        slots[fd].deadline = deadline
        if idles.count == idles.capacity {
            let table = slots
            idles.makeRoom { Self.stillIdle($0, in: table) != nil }
        }
        idles.push(deadline: deadline, fd: fd, generation: slots[fd].generation)
    }

    /// Closes (first, without a response) the connections whose keep-alive timeout ended by `now` with no
    /// request answered since; the queue's entries for connections that moved on are skipped.
    mutating func closeIdleConnections(now: Int64) {
        while let e = idles.popDue(now: now) {
            guard let fd = Self.stillIdle(e, in: slots) else { continue }
            drainThenClose(fd)
        }
    }

    /// The fd of `e` if that very connection (same fd and generation) is still waiting for the request
    /// after the response that queued `e` (its deadline is still `e`'s).
    static func stillIdle(_ e: DeadlineEntry, in slots: TaggedSlots<ServerSlot>) -> Int32? {
        guard let fd = slots.lookup(tag: e.tag) else { return nil }
        let s = slots[fd]
        return s.state == .waitingForRequest && s.responses > 0 && s.deadline == e.deadline ? fd : nil
    }
}
