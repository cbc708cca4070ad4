import Glibc
import Synchronization
import Testing
import TwloadSystem
import TwloadTestSupport

// The thin wrappers make raw system calls (no glibc wrapper, no errno): these check that failures come
// back as the right errno, EAGAIN/EINPROGRESS as values, and that edge-triggered registration reports
// each readiness change once. Loopback only, no root needed.

/// A listener on 127.0.0.1 with a kernel-chosen port.
private func listener() throws -> (fd: Int32, address: SocketAddress) {
    var address = SocketAddress(ip: "127.0.0.1", port: 0)!
    let fd = try Socket.tcp(family: address.family)
    try Socket.bind(fd, to: address)
    try Socket.listen(fd, backlog: 16)
    address.port = try Socket.localPort(fd)
    return (fd, address)
}

/// accept() until a connection is there (loopback: microseconds).
private func acceptOne(_ fd: Int32) throws -> Int32 {
    for _ in 0..<2000 {
        switch Socket.accept(fd) {
        case .accepted(let c): return c
        case .wouldBlock: usleep(500)
        case .failed(let e): throw SystemError(errno: e, call: "accept4")
        }
    }
    throw SystemError(errno: .timedOut, call: "accept4")
}

/// Repeats a non-blocking read until it is not EAGAIN (up to ~1 s).
private func readSoon(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> IOResult {
    var result = IOResult.wouldBlock
    for _ in 0..<2000 where result == .wouldBlock {
        result = Socket.read(fd, into: buffer)
        if result == .wouldBlock { usleep(500) }
    }
    return result
}

struct SyscallWrapperTests {
    @Test func timerSlackIsSetForTheCallingThreadOnly() throws {
        // A new thread inherits its creator's slack, and a test runner thread may have run an event loop
        // (1 ns). So a parent thread of our own sets the default 50 µs first; its two children inherit it,
        // one lowers its own, and the other must keep 50 µs.
        let results = Mutex<[UInt]>([])
        let parent = try OSThread(name: "slack-parent") {
            try? CurrentThread.setTimerSlack(nanoseconds: 50_000)
            guard
                let setter = try? OSThread(
                    name: "slack-set",
                    {
                        let before = (try? CurrentThread.timerSlack()) ?? 0
                        try? CurrentThread.setTimerSlack(nanoseconds: 1)
                        let after = (try? CurrentThread.timerSlack()) ?? 0
                        results.withLock { $0 += [before, after] }
                    })
            else { return }
            setter.join()
            guard
                let other = try? OSThread(
                    name: "slack-other",
                    {
                        let slack = (try? CurrentThread.timerSlack()) ?? 0
                        results.withLock { $0.append(slack) }
                    })
            else { return }
            other.join()
        }
        parent.join()
        #expect(results.withLock { $0 } == [50_000, 1, 50_000])
    }

    #if DEBUG
        /// EBADF means twload passed a descriptor it does not own: a bug, which stops a debug build.
        @Test func closeOfABadDescriptorStopsADebugBuild() async {
            await #expect(processExitsWith: .failure) {
                Socket.close(-1)
            }
        }
    #endif

    @Test func closeOfAnOpenDescriptorSucceeds() throws {
        let fd = try Socket.tcp(family: AF_INET)
        #expect(Socket.close(fd) == .closed)
    }

    @Test func setsockoptFailureThrowsItsCallAndErrno() throws {
        let pipe = try Pipe()  // not a socket
        #expect(throws: SystemError(errno: Errno(rawValue: ENOTSOCK), call: "setsockopt(SO_LINGER)")) {
            try SocketOptions.setLinger(pipe.readFD, seconds: 0)
        }
    }

    @Test func epollControlFailureThrowsItsCallAndErrno() throws {
        let epoll = try Epoll(capacity: 4)
        let pipe = try Pipe()
        try epoll.add(pipe.readFD, .readable, tag: 1)
        #expect(throws: SystemError(errno: Errno(rawValue: EEXIST), call: "epoll_ctl(ADD)")) {
            try epoll.add(pipe.readFD, .readable, tag: 1)
        }
    }

    @Test func readAndWriteReportErrorsAsValues() throws {
        let fd = try Socket.tcp(family: AF_INET)  // never connected
        defer { Socket.close(fd) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64, alignment: 8)
        defer { buffer.deallocate() }
        #expect(Socket.read(fd, into: buffer) == .failed(Errno(rawValue: ENOTCONN)))
        #expect(Socket.write(fd, UnsafeRawBufferPointer(buffer)) == .failed(.brokenPipe))
    }

    @Test func acceptOnASocketThatDoesNotListenFails() throws {
        let fd = try Socket.tcp(family: AF_INET)
        defer { Socket.close(fd) }
        #expect(Socket.accept(fd) == .failed(.invalidArgument))
    }

    @Test func errnoNamesTheCConstantAndStrerrorsText() {
        #expect(Errno.addressNotAvailable.name == "EADDRNOTAVAIL")
        #expect(Errno.addressNotAvailable.message == "Cannot assign requested address")
        #expect(Errno(rawValue: 4095).name == "E4095")
        #expect(
            SystemError(errno: .addressInUse, call: "bind").description
                == "bind: EADDRINUSE (Address already in use)")
    }

    @Test func connectToAClosedPortIsRefused() throws {
        // Take a free port, then close it so that nothing listens there.
        let (l, address) = try listener()
        Socket.close(l)
        let fd = try Socket.tcp(family: address.family)
        defer { Socket.close(fd) }
        switch Socket.connect(fd, to: PreparedAddress(address)) {
        case .failed(let e):
            #expect(e == .connectionRefused)
        case .inProgress:
            var refused = false
            for _ in 0..<1000 where !refused {
                refused = Socket.pendingError(fd) == .error(.connectionRefused)
                if !refused { usleep(1000) }
            }
            #expect(refused)
        case .connected:
            Issue.record("connected to a port nobody listens on")
        }
    }

    @Test func exchangeOverLoopbackReportsWouldBlockAndEndOfFile() throws {
        let (l, address) = try listener()
        defer { Socket.close(l) }
        let client = try Socket.tcp(family: address.family)
        defer { Socket.close(client) }
        let result = Socket.connect(client, to: PreparedAddress(address))
        #expect(result == .inProgress || result == .connected)
        let server = try acceptOne(l)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64, alignment: 8)
        defer { buffer.deallocate() }
        #expect(Socket.read(server, into: buffer) == .wouldBlock)
        let hello: [UInt8] = Array("hello".utf8)
        #expect(hello.withUnsafeBytes { Socket.write(client, $0) } == .processed(5))
        #expect(readSoon(server, into: buffer) == .processed(5))
        #expect(Socket.close(server) == .closed)
        #expect(readSoon(client, into: buffer) == .endOfFile)
    }

    @Test func edgeTriggeredRegistrationReportsEachChangeOnce() throws {
        let (l, address) = try listener()
        defer { Socket.close(l) }
        let client = try Socket.tcp(family: address.family)
        defer { Socket.close(client) }
        _ = Socket.connect(client, to: PreparedAddress(address))
        let server = try acceptOne(l)
        defer { Socket.close(server) }
        let epoll = try Epoll(capacity: 8)
        try epoll.add(client, [.writable, .readable, .readHangup, .edgeTriggered], tag: 42)
        // The handshake is done: one EPOLLOUT edge, then nothing while nothing changes.
        #expect(try epoll.wait(timeoutNanoseconds: 1_000_000_000) == 1)
        #expect(epoll.tag(at: 0) == 42)
        #expect(epoll.flags(at: 0).contains(.writable))
        #expect(try epoll.wait(timeoutNanoseconds: 0) == 0)
        // Data from the peer is a new edge, reported once even though it is not read.
        let ping: [UInt8] = [1]
        #expect(ping.withUnsafeBytes { Socket.write(server, $0) } == .processed(1))
        #expect(try epoll.wait(timeoutNanoseconds: 1_000_000_000) == 1)
        #expect(epoll.flags(at: 0).contains(.readable))
        #expect(try epoll.wait(timeoutNanoseconds: 0) == 0)
    }
}
