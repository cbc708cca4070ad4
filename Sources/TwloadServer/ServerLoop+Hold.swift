import TwloadEventLoop
import TwloadSystem

/// `--hold`: the built-in server keeps each connection until `holdNanos` after its accept before the
/// action that ends it, like a slow backend. A held connection's reply (when one is owed) and its close
/// (server-close) or the wait for the client's FIN (client-close) come at max(request complete,
/// accept + hold). A client that closes or resets during the hold ends it early: that is its passive
/// close or reset, as without a hold, and the hold's queue entry is skipped when it comes due.
extension ServerLoop {
    /// Whether a held connection owes a reply when its hold ends: it does whenever the server awaited a
    /// request, which is always except server-close tcp without `awaitRequest` (held from its accept).
    var heldConnectionsOweAReply: Bool {
        settings.close == .client || settings.awaitRequest
    }

    /// Ends the holds that are due by `now`, in accept order.
    mutating func endDueHolds(now: Int64) {
        while let e = holds.popDue(now: now) { endHold(e, now: now) }
    }

    /// Stopping: every hold ends now, so held connections are replied to (if owed, as the connection's
    /// last response) and closed, each an active close, and the run's drain can end. Connections accepted
    /// from now on are not held.
    mutating func endEveryHold() {
        holdNanos = 0
        while let e = holds.popFront() {
            guard let fd = stillHeld(e) else { continue }
            if heldConnectionsOweAReply {
                let written = closingReply.withUnsafeBytes { Socket.write(fd, $0) }
                if case .failed = written {
                    counters.resets += 1
                    release(fd)
                    continue
                }
                counters.requests += 1
            }
            drainThenClose(fd)
        }
    }

    /// The hold of `e` ended: reply if owed, then close, wait for the client's FIN or (http keep-alive) for
    /// the next request. Nothing happens if the connection is gone (its fd maybe reused) or its request is
    /// not complete yet (the reply then follows the request at once, since the hold's deadline has passed).
    mutating func endHold(_ e: DeadlineEntry, now: Int64) {
        guard let fd = stillHeld(e) else { return }
        if heldConnectionsOweAReply {
            _ = respond(fd, now: now)
        } else {
            drainThenClose(fd)
        }
    }

    /// The fd of `e` if that very connection (same fd and generation) is open and in its hold.
    func stillHeld(_ e: DeadlineEntry) -> Int32? { Self.stillHeld(e, in: slots) }

    /// The same, given the slot table (for a closure that runs while `holds` is being changed).
    static func stillHeld(_ e: DeadlineEntry, in slots: TaggedSlots<ServerSlot>) -> Int32? {
        guard let fd = slots.lookup(tag: e.tag) else { return nil }
        return slots[fd].state == .holding ? fd : nil
    }
}
