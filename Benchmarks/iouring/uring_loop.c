// Closed-loop short HTTP connections through io_uring (liburing): per connection a linked
// connect -> send -> recv chain, recv again until EOF, then an io_uring close; completions are reaped in
// batches and every new SQE of a pass goes in with one io_uring_submit_and_wait. The same workload as
// epoll_loop.c, to measure whether io_uring cuts the client's CPU per connection (issue 20).
// With a fifth argument `chain`, each connection is one linked chain of four SQEs: connect -> send ->
// recv(MSG_WAITALL, so it returns at the server's FIN with the whole response) -> close, hard-linked so that
// the close runs even when the recv comes up short: one submission and four completions per connection.
// Usage: uring_loop IP PORT CONCURRENCY SECONDS [chain]. Prints "connections cpu_seconds failed".
#include <arpa/inet.h>
#include <errno.h>
#include <liburing.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { OP_CONNECT = 1, OP_SEND, OP_RECV, OP_CLOSE };

static const char request[] = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
static struct sockaddr_in target;
static struct io_uring ring;
static long done, failed;

struct slot {
    int fd;
    int failed;
    char buf[4096];
};
static struct slot *slots;
static int chain;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static struct io_uring_sqe *sqe(void) {
    struct io_uring_sqe *s = io_uring_get_sqe(&ring);
    if (!s) {
        io_uring_submit(&ring);
        s = io_uring_get_sqe(&ring);
    }
    if (!s) { fprintf(stderr, "no SQE\n"); exit(1); }
    return s;
}

static void tag(struct io_uring_sqe *s, int i, int op) { io_uring_sqe_set_data64(s, ((__u64)i << 8) | op); }

// Starts slot i's connection: socket() now, then connect -> send -> recv linked in the ring.
static void start(int i) {
    struct slot *sl = &slots[i];
    sl->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (sl->fd < 0) { perror("socket"); exit(1); }
    sl->failed = 0;
    struct io_uring_sqe *s = sqe();
    io_uring_prep_connect(s, sl->fd, (struct sockaddr *)&target, sizeof target);
    s->flags |= IOSQE_IO_LINK;
    tag(s, i, OP_CONNECT);
    s = sqe();
    io_uring_prep_send(s, sl->fd, request, sizeof request - 1, 0);
    s->flags |= IOSQE_IO_LINK;
    tag(s, i, OP_SEND);
    s = sqe();
    io_uring_prep_recv(s, sl->fd, sl->buf, sizeof sl->buf, chain ? MSG_WAITALL : 0);
    tag(s, i, OP_RECV);
    if (chain) {
        s->flags |= IOSQE_IO_HARDLINK;
        s = sqe();
        io_uring_prep_close(s, sl->fd);
        tag(s, i, OP_CLOSE);
    }
}

static void finish(int i) {
    struct io_uring_sqe *s = sqe();
    io_uring_prep_close(s, slots[i].fd);
    tag(s, i, OP_CLOSE);
}

int main(int argc, char **argv) {
    if (argc != 5 && argc != 6) {
        fprintf(stderr, "usage: %s IP PORT CONCURRENCY SECONDS [chain]\n", argv[0]);
        return 2;
    }
    chain = argc == 6 && strcmp(argv[5], "chain") == 0;
    target.sin_family = AF_INET;
    target.sin_port = htons(atoi(argv[2]));
    inet_pton(AF_INET, argv[1], &target.sin_addr);
    int concurrency = atoi(argv[3]);
    double end = now() + atof(argv[4]);
    struct io_uring_params p;
    memset(&p, 0, sizeof p);
#ifdef IORING_SETUP_SINGLE_ISSUER
    p.flags |= IORING_SETUP_SINGLE_ISSUER;
#endif
#ifdef IORING_SETUP_COOP_TASKRUN
    p.flags |= IORING_SETUP_COOP_TASKRUN;
#endif
    int e = io_uring_queue_init_params(4096, &ring, &p);
    if (e < 0) { fprintf(stderr, "io_uring_queue_init: %s\n", strerror(-e)); return 1; }
    slots = calloc(concurrency, sizeof *slots);
    for (int i = 0; i < concurrency; i++) start(i);
    int open = concurrency;
    while (open > 0) {
        io_uring_submit_and_wait(&ring, 1);
        struct io_uring_cqe *cqe;
        unsigned head, seen = 0;
        io_uring_for_each_cqe(&ring, head, cqe) {
            seen++;
            int i = (int)(cqe->user_data >> 8);
            int op = (int)(cqe->user_data & 0xff);
            int res = cqe->res;
            struct slot *sl = &slots[i];
            switch (op) {
            case OP_CONNECT:
            case OP_SEND:
                // A failure cancels the rest of the chain; the recv's completion closes.
                if (res < 0) sl->failed = 1;
                break;
            case OP_RECV:
                if (chain) {
                    // The linked close follows; a chain cut short before the recv cancels it too.
                    if (res <= 0) sl->failed = 1;
                    break;
                }
                if (res > 0) {
                    struct io_uring_sqe *s = sqe();
                    io_uring_prep_recv(s, sl->fd, sl->buf, sizeof sl->buf, 0);
                    tag(s, i, OP_RECV);
                } else {
                    if (res < 0) sl->failed = 1;
                    finish(i);
                }
                break;
            case OP_CLOSE:
                // A close cancelled with its chain (connect or send failed) is done here instead.
                if (res == -ECANCELED) close(sl->fd);
                if (sl->failed) failed++; else done++;
                open--;
                if (now() < end) {
                    start(i);
                    open++;
                }
                break;
            }
        }
        io_uring_cq_advance(&ring, seen);
    }
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    double cpu = u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + u.ru_stime.tv_sec + u.ru_stime.tv_usec / 1e6;
    printf("%ld %.3f %ld\n", done, cpu, failed);
    io_uring_queue_exit(&ring);
    return 0;
}
