/// Linux-only declarations that `import Glibc` does not expose to Swift: epoll, eventfd, netlink and
/// inet_diag, socket options that glibc lacks, and raw system calls for the per-connection path. Headers
/// that clash with Glibc's own definitions (<linux/tcp.h>, <linux/in.h>) stay out of this header; see
/// shim.c.
#ifndef CTWLOAD_LINUX_H
#define CTWLOAD_LINUX_H

#include <errno.h>
#include <stdint.h>
#include <signal.h>
#include <pthread.h>
#include <time.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/eventfd.h>
#include <sys/timex.h>
#include <netinet/in.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/inet_diag.h>

/// Per-socket ephemeral port range (Linux >= 6.3). glibc does not define it yet.
#ifndef IP_LOCAL_PORT_RANGE
#define IP_LOCAL_PORT_RANGE 51
#endif

/// Constants re-exported as values Swift can import reliably.
static const int ctw_EPOLLIN = EPOLLIN;
static const int ctw_EPOLLOUT = EPOLLOUT;
static const int ctw_EPOLLERR = EPOLLERR;
static const int ctw_EPOLLHUP = EPOLLHUP;
static const int ctw_EPOLLRDHUP = EPOLLRDHUP;
static const int ctw_EPOLL_CTL_ADD = EPOLL_CTL_ADD;
static const int ctw_EPOLL_CTL_MOD = EPOLL_CTL_MOD;
static const int ctw_EPOLL_CTL_DEL = EPOLL_CTL_DEL;
static const int ctw_SOCK_NONBLOCK = SOCK_NONBLOCK;
static const int ctw_SOCK_CLOEXEC = SOCK_CLOEXEC;
static const int ctw_IP_LOCAL_PORT_RANGE = IP_LOCAL_PORT_RANGE;
static const int ctw_IP_BIND_ADDRESS_NO_PORT = IP_BIND_ADDRESS_NO_PORT;
static const int ctw_EFD_NONBLOCK = EFD_NONBLOCK;
static const int ctw_EFD_CLOEXEC = EFD_CLOEXEC;
static const int ctw_EPOLLET = EPOLLET;

/// Raw system calls for the per-connection path. They return the kernel's result: a value >= 0, or
/// -errno. Unlike glibc's wrappers they are not cancellation points and do not touch the thread-local
/// errno, which saves about a third of the user-space instructions of a connect/close cycle. Other
/// architectures fall back to syscall(2) (ctw_sys_fallback in shim.c) and convert errno; every call used
/// below exists there under the same SYS_ name, except epoll_wait, which aarch64 lacks (see
/// ctw_epoll_wait_ns).
#if defined(__x86_64__)
static inline long ctw_sys3(long n, long a, long b, long c) {
    long r;
    __asm__ volatile("syscall" : "=a"(r) : "0"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
    return r;
}
static inline long ctw_sys4(long n, long a, long b, long c, long d) {
    long r;
    register long r10 __asm__("r10") = d;
    __asm__ volatile("syscall" : "=a"(r) : "0"(n), "D"(a), "S"(b), "d"(c), "r"(r10) : "rcx", "r11", "memory");
    return r;
}
static inline long ctw_sys5(long n, long a, long b, long c, long d, long e) {
    long r;
    register long r10 __asm__("r10") = d;
    register long r8 __asm__("r8") = e;
    __asm__ volatile("syscall" : "=a"(r) : "0"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8)
                     : "rcx", "r11", "memory");
    return r;
}
#else
long ctw_sys_fallback(long n, long a, long b, long c, long d, long e);
static inline long ctw_sys3(long n, long a, long b, long c) { return ctw_sys_fallback(n, a, b, c, 0, 0); }
static inline long ctw_sys4(long n, long a, long b, long c, long d) { return ctw_sys_fallback(n, a, b, c, d, 0); }
static inline long ctw_sys5(long n, long a, long b, long c, long d, long e) {
    return ctw_sys_fallback(n, a, b, c, d, e);
}
#endif

static inline int ctw_raw_socket(int family, int type) { return (int)ctw_sys3(SYS_socket, family, type, 0); }
static inline int ctw_raw_connect(int fd, const struct sockaddr *addr, socklen_t len) {
    return (int)ctw_sys3(SYS_connect, fd, (long)addr, len);
}
static inline int ctw_raw_close(int fd) { return (int)ctw_sys3(SYS_close, fd, 0, 0); }
static inline int ctw_raw_setsockopt(int fd, int level, int name, const void *value, socklen_t len) {
    return (int)ctw_sys5(SYS_setsockopt, fd, level, name, (long)value, len);
}
static inline long ctw_raw_read(int fd, void *buf, size_t count) { return ctw_sys3(SYS_read, fd, (long)buf, (long)count); }
static inline long ctw_raw_send(int fd, const void *buf, size_t count, int flags) {
    return ctw_sys5(SYS_sendto, fd, (long)buf, (long)count, flags, 0);
}
/// A relative CLOCK_MONOTONIC sleep; on EINTR `rem` holds what was left.
static inline int ctw_raw_nanosleep(const struct timespec *req, struct timespec *rem) {
    return (int)ctw_sys4(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, (long)req, (long)rem);
}
static inline int ctw_raw_accept4(int fd, int flags) { return (int)ctw_sys4(SYS_accept4, fd, 0, 0, flags); }
static inline int ctw_raw_epoll_ctl(int epfd, int op, int fd, uint32_t events, uint64_t data) {
    struct epoll_event ev;
    ev.events = events;
    ev.data.u64 = data;
    return (int)ctw_sys4(SYS_epoll_ctl, epfd, op, fd, (long)&ev);
}

/// 1 until epoll_pwait2 has once answered ENOSYS (old kernels, valgrind), then 0 for good.
extern int ctw_have_pwait2;

/// epoll_wait with a nanosecond timeout (epoll_pwait2, Linux >= 5.11). `timeout_ns < 0` blocks.
/// Falls back to millisecond epoll_wait when the kernel lacks epoll_pwait2. Returns the number of
/// events, or -errno. Inline (raw system calls, no cancellation point): an event loop calls it once per
/// pass, and a call through a function costs a few dozen instructions of its own.
static inline int ctw_epoll_wait_ns(int epfd, struct epoll_event *events, int maxevents, int64_t timeout_ns) {
#ifdef SYS_epoll_pwait2
    if (__atomic_load_n(&ctw_have_pwait2, __ATOMIC_RELAXED)) {
        struct timespec ts;
        struct timespec *tsp = 0;
        if (timeout_ns >= 0) {
            ts.tv_sec = timeout_ns / 1000000000LL;
            ts.tv_nsec = timeout_ns % 1000000000LL;
            tsp = &ts;
        }
        /* With no signal mask the kernel ignores the sixth argument (its size). */
        long r = ctw_sys5(SYS_epoll_pwait2, epfd, (long)events, maxevents, (long)tsp, 0);
        if (r != -ENOSYS) return (int)r;
        __atomic_store_n(&ctw_have_pwait2, 0, __ATOMIC_RELAXED);
    }
#endif
    int ms = -1;
    if (timeout_ns >= 0) ms = (int)((timeout_ns + 999999LL) / 1000000LL);
#ifdef SYS_epoll_wait
    return (int)ctw_sys4(SYS_epoll_wait, epfd, (long)events, maxevents, ms);
#else
    return (int)ctw_sys5(SYS_epoll_pwait, epfd, (long)events, maxevents, ms, 0);
#endif
}

static inline uint32_t ctw_event_flags(const struct epoll_event *ev) { return ev->events; }
static inline uint64_t ctw_event_data(const struct epoll_event *ev) { return ev->data.u64; }


/// Netlink message macros as functions.
static inline uint32_t ctw_nlmsg_align(uint32_t len) { return NLMSG_ALIGN(len); }
static inline uint32_t ctw_nlmsg_hdrlen(void) { return NLMSG_HDRLEN; }
static inline uint32_t ctw_nlmsg_length(uint32_t len) { return NLMSG_LENGTH(len); }

/// The TCP state numbers used by inet_diag (from <netinet/tcp.h>'s enum, kept here so Swift sees them
/// without <linux/tcp.h>).
enum ctw_tcp_state {
    CTW_TCP_ESTABLISHED = 1,
    CTW_TCP_SYN_SENT = 2,
    CTW_TCP_SYN_RECV = 3,
    CTW_TCP_FIN_WAIT1 = 4,
    CTW_TCP_FIN_WAIT2 = 5,
    CTW_TCP_TIME_WAIT = 6,
    CTW_TCP_CLOSE = 7,
    CTW_TCP_CLOSE_WAIT = 8,
    CTW_TCP_LAST_ACK = 9,
    CTW_TCP_LISTEN = 10,
    CTW_TCP_CLOSING = 11,
};

/// unshare(CLONE_NEWNET), or CLONE_NEWUSER|CLONE_NEWNET when `with_user` is non-zero. 0 or -1 (errno).
int ctw_unshare_net(int with_user);

/// setns(fd, CLONE_NEWNET): moves the calling thread into the network namespace `fd` refers to. 0 or -1 (errno).
int ctw_setns_net(int fd);

/// Sets IFF_UP on the "lo" interface of the current network namespace (SIOCGIFFLAGS/SIOCSIFFLAGS).
int ctw_loopback_up(void);

/// The width in columns of the terminal behind fd (ioctl TIOCGWINSZ, whose request takes a pointer that
/// Swift cannot pass through the variadic ioctl), or -1 with errno set (ENOTTY when fd is no terminal).
int ctw_window_columns(int fd);

/// pipe2(fds, O_CLOEXEC) (declared only under _GNU_SOURCE).
int ctw_pipe_cloexec(int fds[2]);

/// Names a thread (best effort; pthread_setname_np needs _GNU_SOURCE).
void ctw_set_thread_name(pthread_t thread, const char *name);
/// PR_SET_TIMERSLACK for the calling thread: how late its timed sleeps may end. 0 or -errno.
int ctw_set_timer_slack(unsigned long nanoseconds);
/// PR_GET_TIMERSLACK for the calling thread, or -errno.
long ctw_get_timer_slack(void);

/// io_uring through its system calls (uring.c): no liburing, and no <linux/io_uring.h> here, which Swift
/// would see. The flag values are checked against the kernel's header in uring.c.
typedef struct ctw_uring ctw_uring;
/// A completion as the kernel writes it: the request's user_data, its result (>= 0, or -errno), flags.
struct ctw_uring_cqe {
    uint64_t user_data;
    int32_t res;
    uint32_t flags;
};
#define CTW_IOSQE_IO_LINK (1U << 2)
#define CTW_IOSQE_IO_HARDLINK (1U << 3)
#define CTW_IOSQE_CQE_SKIP_SUCCESS (1U << 6)
static const unsigned ctw_IOSQE_IO_LINK = CTW_IOSQE_IO_LINK;
static const unsigned ctw_IOSQE_IO_HARDLINK = CTW_IOSQE_IO_HARDLINK;
static const unsigned ctw_IOSQE_CQE_SKIP_SUCCESS = CTW_IOSQE_CQE_SKIP_SUCCESS;
/// Sets up a ring of `entries` submissions and `cq_entries` completions (single issuer, cooperative task
/// running: Linux 6.0) and maps it. 0, or -errno (-EINVAL on an older kernel, -ENOSYS before 5.11).
int ctw_uring_create(unsigned entries, unsigned cq_entries, ctw_uring **out);
void ctw_uring_destroy(ctw_uring *ring);
/// Each queues one request, unsubmitted; 0, or -EBUSY when the submission queue is full.
int ctw_uring_connect(ctw_uring *ring, int fd, const struct sockaddr *addr, uint32_t len, uint64_t user_data,
                      unsigned sqe_flags);
int ctw_uring_send(ctw_uring *ring, int fd, const void *buf, uint32_t len, int msg_flags, uint64_t user_data,
                   unsigned sqe_flags);
int ctw_uring_recv(ctw_uring *ring, int fd, void *buf, uint32_t len, int msg_flags, uint64_t user_data,
                   unsigned sqe_flags);
int ctw_uring_close(ctw_uring *ring, int fd, uint64_t user_data, unsigned sqe_flags);
/// Cancels every request in flight on `fd`.
int ctw_uring_cancel_fd(ctw_uring *ring, int fd, uint64_t user_data, unsigned sqe_flags);
/// One-shot POLLIN on `fd`.
int ctw_uring_poll_in(ctw_uring *ring, int fd, uint64_t user_data);
/// Submits what is queued and, when `wait_nr` > 0, waits for that many completions or `timeout_ns`
/// (< 0: no limit). The number submitted, or -errno (-ETIME: the time ran out; -EINTR).
int ctw_uring_submit_wait(ctw_uring *ring, unsigned wait_nr, int64_t timeout_ns);
/// Copies up to `max` completions into `out` and consumes them; how many.
unsigned ctw_uring_reap(ctw_uring *ring, struct ctw_uring_cqe *out, unsigned max);

#endif
