// Closed-loop short HTTP connections with non-blocking sockets and edge-triggered epoll: the syscall
// pattern of twload's engine (socket, connect, epoll_ctl, write, read until EOF, close), in plain C, as the
// baseline for uring_loop.c. Usage: epoll_loop IP PORT CONCURRENCY SECONDS
// Prints "connections cpu_seconds". Loopback targets only (the script passes 127.0.0.1).
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static const char request[] = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
static struct sockaddr_in target;
static int ep;
static long done, failed;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

// Starts one connection; returns 1 if it is in flight, 0 if connect() failed at once.
static int open_one(void) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) { perror("socket"); exit(1); }
    if (connect(fd, (struct sockaddr *)&target, sizeof target) < 0 && errno != EINPROGRESS) {
        failed++;
        close(fd);
        return 0;
    }
    // Edge-triggered, one registration for the connection's life: EPOLLOUT is the handshake.
    struct epoll_event ev = {.events = EPOLLOUT | EPOLLIN | EPOLLRDHUP | EPOLLET, .data.u64 = (unsigned)fd};
    if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) { perror("epoll_ctl"); exit(1); }
    return 1;
}

int main(int argc, char **argv) {
    if (argc != 5) { fprintf(stderr, "usage: %s IP PORT CONCURRENCY SECONDS\n", argv[0]); return 2; }
    target.sin_family = AF_INET;
    target.sin_port = htons(atoi(argv[2]));
    inet_pton(AF_INET, argv[1], &target.sin_addr);
    int concurrency = atoi(argv[3]);
    double end = now() + atof(argv[4]);
    ep = epoll_create1(EPOLL_CLOEXEC);
    // Per fd: 0 = connecting, 1 = request sent.
    static unsigned char sent[65536];
    char buf[4096];
    struct epoll_event events[256];
    int open = 0;
    for (int i = 0; i < concurrency; i++) open += open_one();
    while (open > 0) {
        int n = epoll_wait(ep, events, 256, 100);
        for (int i = 0; i < n; i++) {
            int fd = (int)events[i].data.u64;
            if (events[i].events & EPOLLERR) goto fail;
            if (!sent[fd] && (events[i].events & EPOLLOUT)) {
                if (write(fd, request, sizeof request - 1) != (ssize_t)(sizeof request - 1)) goto fail;
                sent[fd] = 1;
            }
            if (sent[fd] && (events[i].events & (EPOLLIN | EPOLLRDHUP))) {
                for (;;) {
                    ssize_t r = read(fd, buf, sizeof buf);
                    if (r > 0) continue;
                    if (r == 0) {
                        done++;
                        goto finish;
                    }
                    if (errno == EAGAIN) break;
                    goto fail;
                }
            }
            continue;
        fail:
            failed++;
        finish:
            sent[fd] = 0;
            close(fd);
            open--;
            if (now() < end) open += open_one();
        }
    }
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    double cpu = u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + u.ru_stime.tv_sec + u.ru_stime.tv_usec / 1e6;
    printf("%ld %.3f %ld\n", done, cpu, failed);
    return 0;
}
