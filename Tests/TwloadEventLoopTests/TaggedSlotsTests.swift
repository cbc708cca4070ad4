import Testing
import TwloadEventLoop
import TwloadSystem

/// A slot with one field besides its generation, as an event loop would keep it.
private struct Slot: TaggedSlot {
    var generation: UInt32 = 0
    var open = false
    var bytes = 0

    var isOpen: Bool { open }
    mutating func markFree() { open = false }
}

struct TaggedSlotsTests {
    @Test func anEventForAClosedFdIsNotDeliveredToTheFdsNextConnection() {
        let table = TaggedSlots(capacity: 8, empty: Slot())
        let first = table.open(5) { $0.open = true }
        #expect(table.lookup(tag: first) == 5)
        table.release(5)
        #expect(table.lookup(tag: first) == nil)
        let second = table.open(5) { $0.open = true }
        #expect(second != first)
        #expect(table.lookup(tag: first) == nil)
        #expect(table.lookup(tag: second) == 5)
    }

    @Test func openSetsTheFieldsAndTheTagCarriesTheGeneration() {
        let table = TaggedSlots(capacity: 8, empty: Slot())
        let tag = table.open(3) {
            $0.open = true
            $0.bytes = 42
        }
        #expect(table[3].bytes == 42)
        #expect(EpollTag.fd(tag) == 3)
        #expect(EpollTag.generation(tag) == 0)
        #expect(table.tag(of: 3) == tag)
        table.update(3) { $0.bytes += 1 }
        #expect(table[3].bytes == 43)
    }

    @Test func fdsBeyondTheStartingCapacityGrowTheTable() {
        let table = TaggedSlots(capacity: 4, empty: Slot())
        let tag = table.open(1000) { $0.open = true }
        #expect(table.count > 1000)
        #expect(table.lookup(tag: tag) == 1000)
    }

    @Test func tagsOutsideTheTableAreStale() {
        let table = TaggedSlots(capacity: 4, empty: Slot())
        #expect(table.lookup(tag: 3) == nil)  // never opened
        #expect(table.lookup(tag: 1000) == nil)  // beyond the table
        #expect(table.lookup(tag: UInt64(UInt32.max)) == nil)  // fd -1: a loop's own wake tag
    }

    @Test func aStopRequestIsSeenAndWakesAnEpollWait() throws {
        let control = try RunControl()
        let epoll = try Epoll(capacity: 2)
        try epoll.add(control.wakeFD, .readable, tag: 7)
        #expect(!control.stopRequested)
        #expect(try epoll.wait(timeoutNanoseconds: 0) == 0)
        control.requestStop()
        control.requestStop()  // idempotent
        #expect(control.stopRequested)
        #expect(try epoll.wait(timeoutNanoseconds: 1_000_000_000) == 1)
        #expect(epoll.tag(at: 0) == 7)
    }
}
