/// How the client's event loops make their socket calls (`--engine`).
public enum ClientEngine: String, Sendable, CaseIterable {
    /// Non-blocking sockets and edge-triggered epoll, one system call per step: the default.
    case epoll
    /// Experimental: connect, send, recv and close queued in an io_uring ring and submitted in batches.
    case ioUring = "io_uring"
}
