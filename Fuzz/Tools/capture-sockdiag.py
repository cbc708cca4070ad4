#!/usr/bin/env python3
"""Captures real sock_diag replies as seeds for the sockdiag fuzz target.

Run as root: it re-runs itself in a new network namespace (unshare -n) with only lo up, opens TCP
sockets in several states on 127.0.0.1 and ::1, then sends the dump requests twload sends
(SockDiagRequest.dump and dumpBothFamilies) plus one with a broken filter, and writes each reply in the
fuzz target's input format: flags byte 1, the sequence number (UInt32 LE), then each datagram as a
UInt16 LE length and its bytes.

    sudo Fuzz/Tools/capture-sockdiag.py Fuzz/Corpus/sockdiag
"""
import os, socket, struct, subprocess, sys, time

NETLINK_SOCK_DIAG = 4
SOCK_DIAG_BY_FAMILY = 20
TCPDIAG_GETSOCK = 18
NLM_F_REQUEST, NLM_F_DUMP = 1, 0x300
ALL_STATES = 0xFFF


def request(msg_type, body, seq):
    return struct.pack("=IHHII", 16 + len(body), msg_type, NLM_F_REQUEST | NLM_F_DUMP, seq, 0) + body


def dump_v2(family, seq, bytecode=b""):
    body = struct.pack("=BBBBI", family, socket.IPPROTO_TCP, 0, 0, ALL_STATES) + bytes(48)
    if bytecode:
        body += struct.pack("=HH", 4 + len(bytecode), 1) + bytecode  # INET_DIAG_REQ_BYTECODE
    return request(SOCK_DIAG_BY_FAMILY, body, seq)


def dump_both(seq):
    return request(TCPDIAG_GETSOCK, bytes(4) + bytes(48) + struct.pack("=II", ALL_STATES, 0), seq)


def exchange(req, seq):
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_SOCK_DIAG)
    s.send(req)
    datagrams = []
    while True:
        d = s.recv(65536)
        datagrams.append(d)
        off, end = 0, False
        while off + 16 <= len(d):
            length, msg_type = struct.unpack_from("=IH", d, off)
            if msg_type in (2, 3):
                end = True
            off += (length + 3) & ~3 if length else len(d)
        if end:
            break
    s.close()
    return struct.pack("<BI", 1, seq) + b"".join(struct.pack("<H", len(d)) + d for d in datagrams)


def sockets(family, host):
    keep = []
    server = socket.socket(family, socket.SOCK_STREAM)
    server.bind((host, 8080))
    server.listen(16)
    keep.append(server)
    for _ in range(3):  # ESTABLISHED pairs
        c = socket.create_connection((host, 8080))
        keep += [c, server.accept()[0]]
    c = socket.create_connection((host, 8080))  # client closes first: TIME_WAIT on the client side
    a, _ = server.accept()
    c.close()
    a.close()
    c = socket.create_connection((host, 8080))  # peer closed, we did not: CLOSE_WAIT / FIN_WAIT2
    a, _ = server.accept()
    a.close()
    keep.append(c)
    return keep


def main(out):
    if os.environ.get("CAPTURE_IN_NETNS") != "1":
        env = dict(os.environ, CAPTURE_IN_NETNS="1")
        sys.exit(subprocess.call(["unshare", "-n", sys.executable, __file__, out], env=env))
    subprocess.check_call(["ip", "link", "set", "lo", "up"])
    keep = sockets(socket.AF_INET, "127.0.0.1") + sockets(socket.AF_INET6, "::1")
    time.sleep(0.2)
    seeds = {
        "kernel-ipv4-dump": exchange(dump_v2(socket.AF_INET, 1), 1),
        "kernel-ipv6-dump": exchange(dump_v2(socket.AF_INET6, 2), 2),
        "kernel-both-families-dump": exchange(dump_both(3), 3),
        # A filter whose jump runs past the program: the kernel answers NLMSG_ERROR (EINVAL).
        "kernel-bad-filter-error": exchange(dump_v2(socket.AF_INET, 4, struct.pack("=BBH", 1, 4, 200)), 4),
    }
    for name, data in seeds.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
        print(name, len(data), "bytes")
    del keep


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
