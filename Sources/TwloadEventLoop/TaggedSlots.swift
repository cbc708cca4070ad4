import TwloadSystem

/// A per-connection record that `TaggedSlots` keeps by fd.
public protocol TaggedSlot: BitwiseCopyable {
    /// Bumped every time the fd is released, so an epoll tag made before can be told apart.
    var generation: UInt32 { get set }
    /// Whether a connection holds the slot.
    var isOpen: Bool { get }
    /// Marks the slot free (the table then bumps the generation).
    mutating func markFree()
}

/// Per-connection records indexed by fd, shared by the client's and the built-in server's event loops: no
/// object per connection. The epoll tag of a connection is `generation << 32 | fd`, and `lookup(tag:)`
/// rejects a tag whose generation no longer matches, which is how an event for a closed fd is ignored even
/// when the kernel has already handed the same number to a new socket. One event-loop thread owns a table.
///
/// Everything is inlinable, so each loop gets it specialised for its slot type.
public struct TaggedSlots<Slot: TaggedSlot> {
    /// The slots, indexed by fd.
    public let slots: SlotStorage<Slot>

    /// Room for `capacity` fds to start with, every slot `empty`.
    @inlinable
    public init(capacity: Int, empty: Slot) {
        slots = SlotStorage(repeating: empty, count: capacity)
    }

    /// The slot of `fd` (an fd that was opened in this table).
    @inlinable
    public subscript(fd: Int32) -> Slot {
        @inline(__always) get { slots[Int(fd)] }
        @inline(__always) nonmutating _modify { yield &slots[Int(fd)] }
    }

    /// The number of slots (fds 0 ..< count).
    @inlinable
    public var count: Int { slots.count }

    /// The epoll tag for the connection currently on `fd`.
    @inlinable @inline(__always)
    public func tag(of fd: Int32) -> UInt64 {
        EpollTag.make(fd: fd, generation: slots[Int(fd)].generation)
    }

    /// The fd that `tag` refers to, or nil if that connection is gone (a stale event).
    @inlinable @inline(__always)
    public func lookup(tag: UInt64) -> Int32? {
        let fd = EpollTag.fd(tag)
        guard fd >= 0, Int(fd) < slots.count else { return nil }
        let s = slots[Int(fd)]
        return s.isOpen && s.generation == EpollTag.generation(tag) ? fd : nil
    }

    /// Takes the slot of a new connection on `fd`, sets its fields with `initialize` (which must leave it
    /// open), and returns its epoll tag. One pointer load for all the fields.
    @inlinable @inline(__always)
    public func open(_ fd: Int32, _ initialize: (inout Slot) -> Void) -> UInt64 {
        let i = Int(fd)
        slots.ensure(i)
        let generation = slots.update(i) { s in
            initialize(&s)
            return s.generation
        }
        return EpollTag.make(fd: fd, generation: generation)
    }

    /// Runs `body` on the slot of `fd` in place: one pointer load for several field updates.
    @inlinable @inline(__always)
    public func update<R>(_ fd: Int32, _ body: (inout Slot) -> R) -> R {
        slots.update(Int(fd), body)
    }

    /// Frees the slot of `fd` and bumps its generation. The caller closes the descriptor.
    @inlinable @inline(__always)
    public func release(_ fd: Int32) {
        slots.update(Int(fd)) { s in
            s.markFree()
            s.generation &+= 1
        }
    }
}
