import CTwloadLinux
import Glibc

/// An open reference to a network namespace (a descriptor of its nsfs file). The namespace lives as long
/// as this handle or a thread inside it does, and no longer: nothing is named in /run/netns, so a process
/// that dies, even by SIGKILL, leaves no namespace behind.
public final class NamespaceHandle: Sendable {
    /// The descriptor, open with O_CLOEXEC; a child process names it by `path`.
    public let fd: Int32

    private init(fd: Int32) { self.fd = fd }

    deinit { Glibc.close(fd) }

    /// The network namespace of the calling thread.
    public static func current() throws(SystemError) -> NamespaceHandle {
        let fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw SystemError(errno: lastErrno(), call: "open(/proc/thread-self/ns/net)") }
        return NamespaceHandle(fd: fd)
    }

    /// A new, empty network namespace (root only), with `lo` up. The calling thread ends where it began; if
    /// it cannot return, that is the error thrown (its namespace is then unknown, and the caller must stop).
    public static func create() throws(SystemError) -> NamespaceHandle {
        let home = try current()
        if ctw_unshare_net(0) != 0 { throw SystemError(errno: lastErrno(), call: "unshare(CLONE_NEWNET)") }
        let made: Result<NamespaceHandle, SystemError>
        do throws(SystemError) {
            let handle = try current()
            try NetworkNamespace.bringLoopbackUp()
            made = .success(handle)
        } catch {
            made = .failure(error)
        }
        try home.enter()
        return try made.get()
    }

    /// Moves the calling thread (only it) into this namespace. Sockets it opens from now on, the /proc/sys
    /// entries it writes and the children it starts belong to it.
    public func enter() throws(SystemError) {
        if ctw_setns_net(fd) != 0 { throw SystemError(errno: lastErrno(), call: "setns(CLONE_NEWNET)") }
    }

    /// Runs `body` on the calling thread inside this namespace, then returns the thread to the namespace it
    /// was in, whether `body` threw or not. A failure to return is thrown in preference to the body's
    /// result: the thread's namespace is then unknown, and the caller must not go on as if it were home.
    public func run<T>(_ body: () throws(SystemError) -> T) throws(SystemError) -> T {
        let home = try NamespaceHandle.current()
        try enter()
        let result: Result<T, SystemError>
        do throws(SystemError) { result = .success(try body()) } catch { result = .failure(error) }
        try home.enter()
        return try result.get()
    }

    /// A path that names this namespace to a child process of this one ("/proc/123/fd/7"), e.g. for
    /// `ip link ... netns PATH`.
    public var path: String { "/proc/\(getpid())/fd/\(fd)" }
}
