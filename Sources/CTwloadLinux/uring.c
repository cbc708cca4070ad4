/* io_uring through its three system calls and the kernel's UAPI header, without liburing: the rings are
   mapped once, SQEs are written in place, and completions are copied out in batches. liburing's own
   functions are static inline (nothing a Swift module can import), and linking it would add a package
   that a fresh machine lacks; the part twload needs is this file. The memory ordering follows liburing's
   (io_uring(7)): the SQ tail is published with a release store, the CQ tail read with an acquire load. */
#define _GNU_SOURCE 1
#include "CTwloadLinux.h"
#include <linux/io_uring.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

_Static_assert(CTW_IOSQE_IO_LINK == IOSQE_IO_LINK, "IOSQE_IO_LINK");
_Static_assert(CTW_IOSQE_IO_HARDLINK == IOSQE_IO_HARDLINK, "IOSQE_IO_HARDLINK");
_Static_assert(CTW_IOSQE_CQE_SKIP_SUCCESS == IOSQE_CQE_SKIP_SUCCESS, "IOSQE_CQE_SKIP_SUCCESS");
_Static_assert(sizeof(struct ctw_uring_cqe) == sizeof(struct io_uring_cqe), "ctw_uring_cqe mirrors io_uring_cqe");

struct ctw_uring {
    int fd;
    unsigned sq_mask, cq_mask, sq_entries;
    unsigned *sq_head, *sq_tail, *sq_array;
    unsigned *cq_head, *cq_tail;
    struct io_uring_sqe *sqes;
    struct io_uring_cqe *cqes;
    /* The local tail: SQEs written but not yet published to the kernel. */
    unsigned sq_local_tail;
    void *ring_map;
    size_t ring_map_size;
    size_t sqes_map_size;
};

int ctw_uring_create(unsigned entries, unsigned cq_entries, ctw_uring **out) {
    struct io_uring_params p;
    memset(&p, 0, sizeof p);
    p.flags = IORING_SETUP_CQSIZE | IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_COOP_TASKRUN;
    p.cq_entries = cq_entries;
    int fd = (int)syscall(SYS_io_uring_setup, entries, &p);
    if (fd < 0) return -errno;
    /* EXT_ARG (a timeout on the wait, 5.11) and one mapping for both rings (5.4). */
    if (!(p.features & IORING_FEAT_EXT_ARG) || !(p.features & IORING_FEAT_SINGLE_MMAP)) {
        close(fd);
        return -ENOSYS;
    }
    struct ctw_uring *r = calloc(1, sizeof *r);
    if (!r) {
        close(fd);
        return -ENOMEM;
    }
    size_t sq_size = p.sq_off.array + p.sq_entries * sizeof(unsigned);
    size_t cq_size = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
    r->ring_map_size = sq_size > cq_size ? sq_size : cq_size;
    r->ring_map = mmap(0, r->ring_map_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_SQ_RING);
    if (r->ring_map == MAP_FAILED) goto fail;
    r->sqes_map_size = p.sq_entries * sizeof(struct io_uring_sqe);
    r->sqes = mmap(0, r->sqes_map_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_SQES);
    if (r->sqes == MAP_FAILED) {
        munmap(r->ring_map, r->ring_map_size);
        goto fail;
    }
    char *m = r->ring_map;
    r->fd = fd;
    r->sq_entries = p.sq_entries;
    r->sq_head = (unsigned *)(m + p.sq_off.head);
    r->sq_tail = (unsigned *)(m + p.sq_off.tail);
    r->sq_mask = *(unsigned *)(m + p.sq_off.ring_mask);
    r->sq_array = (unsigned *)(m + p.sq_off.array);
    r->cq_head = (unsigned *)(m + p.cq_off.head);
    r->cq_tail = (unsigned *)(m + p.cq_off.tail);
    r->cq_mask = *(unsigned *)(m + p.cq_off.ring_mask);
    r->cqes = (struct io_uring_cqe *)(m + p.cq_off.cqes);
    r->sq_local_tail = *r->sq_tail;
    /* SQ slot i always holds SQE i: the indirection array is the identity. */
    for (unsigned i = 0; i < p.sq_entries; i++) r->sq_array[i] = i;
    *out = r;
    return 0;
fail: {
    int e = errno;
    close(fd);
    free(r);
    return -e;
}
}

void ctw_uring_destroy(ctw_uring *r) {
    if (!r) return;
    munmap(r->sqes, r->sqes_map_size);
    munmap(r->ring_map, r->ring_map_size);
    close(r->fd);
    free(r);
}

/* The next free SQE, zeroed, or NULL when the queue is full (the caller submits, then asks again). */
static struct io_uring_sqe *next_sqe(ctw_uring *r, int op, int fd, uint64_t user_data, unsigned sqe_flags) {
    unsigned head = __atomic_load_n(r->sq_head, __ATOMIC_ACQUIRE);
    if (r->sq_local_tail - head >= r->sq_entries) return NULL;
    struct io_uring_sqe *s = &r->sqes[r->sq_local_tail & r->sq_mask];
    r->sq_local_tail++;
    memset(s, 0, sizeof *s);
    s->opcode = (uint8_t)op;
    s->fd = fd;
    s->user_data = user_data;
    s->flags = (uint8_t)sqe_flags;
    return s;
}

int ctw_uring_connect(ctw_uring *r, int fd, const struct sockaddr *addr, uint32_t len, uint64_t user_data,
                      unsigned sqe_flags) {
    struct io_uring_sqe *s = next_sqe(r, IORING_OP_CONNECT, fd, user_data, sqe_flags);
    if (!s) return -EBUSY;
    s->addr = (uint64_t)(uintptr_t)addr;
    s->off = len;
    return 0;
}

/* A send or a recv: the same fields, one opcode apart (liburing's io_uring_prep_rw does the same). */
static int prep_buffer_op(ctw_uring *r, int op, int fd, const void *buf, uint32_t len, int msg_flags,
                          uint64_t user_data, unsigned sqe_flags) {
    struct io_uring_sqe *s = next_sqe(r, op, fd, user_data, sqe_flags);
    if (!s) return -EBUSY;
    s->addr = (uint64_t)(uintptr_t)buf;
    s->len = len;
    s->msg_flags = (uint32_t)msg_flags;
    return 0;
}

int ctw_uring_send(ctw_uring *r, int fd, const void *buf, uint32_t len, int msg_flags, uint64_t user_data,
                   unsigned sqe_flags) {
    return prep_buffer_op(r, IORING_OP_SEND, fd, buf, len, msg_flags, user_data, sqe_flags);
}

int ctw_uring_recv(ctw_uring *r, int fd, void *buf, uint32_t len, int msg_flags, uint64_t user_data,
                   unsigned sqe_flags) {
    return prep_buffer_op(r, IORING_OP_RECV, fd, buf, len, msg_flags, user_data, sqe_flags);
}

int ctw_uring_close(ctw_uring *r, int fd, uint64_t user_data, unsigned sqe_flags) {
    return next_sqe(r, IORING_OP_CLOSE, fd, user_data, sqe_flags) ? 0 : -EBUSY;
}

int ctw_uring_cancel_fd(ctw_uring *r, int fd, uint64_t user_data, unsigned sqe_flags) {
    struct io_uring_sqe *s = next_sqe(r, IORING_OP_ASYNC_CANCEL, fd, user_data, sqe_flags);
    if (!s) return -EBUSY;
    s->cancel_flags = IORING_ASYNC_CANCEL_FD | IORING_ASYNC_CANCEL_ALL;
    return 0;
}

int ctw_uring_poll_in(ctw_uring *r, int fd, uint64_t user_data) {
    struct io_uring_sqe *s = next_sqe(r, IORING_OP_POLL_ADD, fd, user_data, 0);
    if (!s) return -EBUSY;
    s->poll32_events = POLLIN;
    return 0;
}

int ctw_uring_submit_wait(ctw_uring *r, unsigned wait_nr, int64_t timeout_ns) {
    unsigned pending = r->sq_local_tail - *r->sq_tail;
    __atomic_store_n(r->sq_tail, r->sq_local_tail, __ATOMIC_RELEASE);
    if (wait_nr == 0 && pending == 0) return 0;
    struct __kernel_timespec ts;
    struct io_uring_getevents_arg arg;
    memset(&arg, 0, sizeof arg);
    unsigned flags = 0;
    if (wait_nr > 0) {
        flags = IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG;
        arg.sigmask_sz = _NSIG / 8;
        if (timeout_ns >= 0) {
            ts.tv_sec = timeout_ns / 1000000000;
            ts.tv_nsec = timeout_ns % 1000000000;
            arg.ts = (uint64_t)(uintptr_t)&ts;
        }
    }
    long n = syscall(SYS_io_uring_enter, r->fd, pending, wait_nr, flags, wait_nr > 0 ? (void *)&arg : NULL,
                     wait_nr > 0 ? sizeof arg : 0);
    return n < 0 ? -errno : (int)n;
}

unsigned ctw_uring_reap(ctw_uring *r, struct ctw_uring_cqe *out, unsigned max) {
    unsigned head = *r->cq_head;
    unsigned tail = __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE);
    unsigned n = 0;
    while (head != tail && n < max) {
        const struct io_uring_cqe *c = &r->cqes[head & r->cq_mask];
        out[n].user_data = c->user_data;
        out[n].res = c->res;
        out[n].flags = c->flags;
        n++;
        head++;
    }
    __atomic_store_n(r->cq_head, head, __ATOMIC_RELEASE);
    return n;
}
