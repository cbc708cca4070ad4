#define _GNU_SOURCE 1
#include "CTwloadLinux.h"
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/prctl.h>
#include <sched.h>
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>
#include <net/if.h>

/* The epoll_event layout the inline accessors and the kernel agree on. glibc packs the struct on x86_64
   only (bits/epoll.h there defines __EPOLL_PACKED as __attribute__((packed)), matching the kernel's
   EPOLL_PACKED for x86_64); every other architecture, aarch64 among them, takes sys/epoll.h's empty
   default, so `data` is 8-byte aligned after 4 bytes of padding. The accessors read the fields by name, so
   only these sizes differ. */
#if defined(__x86_64__)
_Static_assert(sizeof(struct epoll_event) == 12, "glibc packs epoll_event on x86_64");
_Static_assert(offsetof(struct epoll_event, data) == 4, "packed epoll_event: data follows events");
#else
_Static_assert(sizeof(struct epoll_event) == 16, "epoll_event is naturally aligned off x86_64");
_Static_assert(offsetof(struct epoll_event, data) == 8, "aligned epoll_event: data after padding");
#endif
_Static_assert(IP_LOCAL_PORT_RANGE == 51, "IP_LOCAL_PORT_RANGE");

int ctw_have_pwait2 = 1;

#if !defined(__x86_64__)
long ctw_sys_fallback(long n, long a, long b, long c, long d, long e) {
    long r = syscall(n, a, b, c, d, e);
    return r == -1 ? -errno : r;
}
#endif

int ctw_set_timer_slack(unsigned long nanoseconds) {
    return prctl(PR_SET_TIMERSLACK, nanoseconds, 0, 0, 0) == 0 ? 0 : -errno;
}

long ctw_get_timer_slack(void) {
    int r = prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0);
    return r >= 0 ? r : -errno;
}

void ctw_set_thread_name(pthread_t thread, const char *name) { (void)pthread_setname_np(thread, name); }

int ctw_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }

int ctw_unshare_net(int with_user) {
    return unshare(CLONE_NEWNET | (with_user ? CLONE_NEWUSER : 0));
}

int ctw_setns_net(int fd) { return setns(fd, CLONE_NEWNET); }

int ctw_loopback_up(void) {
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    struct ifreq ifr;
    memset(&ifr, 0, sizeof(ifr));
    strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
    int rc = ioctl(fd, SIOCGIFFLAGS, &ifr);
    if (rc == 0 && !(ifr.ifr_flags & IFF_UP)) {
        ifr.ifr_flags |= IFF_UP;
        rc = ioctl(fd, SIOCSIFFLAGS, &ifr);
    }
    int saved = errno;
    close(fd);
    errno = saved;
    return rc;
}

int ctw_window_columns(int fd) {
    struct winsize size;
    memset(&size, 0, sizeof(size));
    if (ioctl(fd, TIOCGWINSZ, &size) != 0) return -1;
    return size.ws_col;
}
