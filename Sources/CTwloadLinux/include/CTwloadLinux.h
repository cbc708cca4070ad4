/// Linux-only declarations that `import Glibc` does not expose to Swift: epoll, accept4, eventfd,
/// netlink and inet_diag, plus socket options that glibc lacks. Headers that clash with Glibc's own
/// definitions (<linux/tcp.h>, <linux/in.h>) stay out of this header; see shim.c.
#ifndef CTWLOAD_LINUX_H
#define CTWLOAD_LINUX_H

#include <stdint.h>
#include <signal.h>
#include <pthread.h>
#include <time.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
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

/// epoll_wait with a nanosecond timeout (epoll_pwait2, Linux >= 5.11). `timeout_ns < 0` blocks.
/// Falls back to millisecond epoll_wait when the kernel lacks epoll_pwait2.
int ctw_epoll_wait_ns(int epfd, struct epoll_event *events, int maxevents, int64_t timeout_ns);

/// epoll_ctl with the 64-bit user data word.
static inline int ctw_epoll_ctl(int epfd, int op, int fd, uint32_t events, uint64_t data) {
    struct epoll_event ev;
    ev.events = events;
    ev.data.u64 = data;
    return epoll_ctl(epfd, op, fd, &ev);
}

static inline uint32_t ctw_event_flags(const struct epoll_event *ev) { return ev->events; }
static inline uint64_t ctw_event_data(const struct epoll_event *ev) { return ev->data.u64; }

/// accept4 without peer address (declared only under _GNU_SOURCE, so it lives in shim.c).
int ctw_accept4(int fd, int flags);

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

/// TCP_INFO's state byte for `fd`, or -1 with errno set. Lives in shim.c because <linux/tcp.h>
/// clashes with Glibc.
int ctw_tcp_state(int fd);

/// unshare(CLONE_NEWNET), or CLONE_NEWUSER|CLONE_NEWNET when `with_user` is non-zero. 0 or -1 (errno).
int ctw_unshare_net(int with_user);

/// Sets IFF_UP on the "lo" interface of the current network namespace (SIOCGIFFLAGS/SIOCSIFFLAGS).
int ctw_loopback_up(void);

/// pipe2(fds, O_CLOEXEC) (declared only under _GNU_SOURCE).
int ctw_pipe_cloexec(int fds[2]);

/// Names a thread (best effort; pthread_setname_np needs _GNU_SOURCE).
void ctw_set_thread_name(pthread_t thread, const char *name);

#endif
