import CTwloadLinux
import Glibc

/// Moves the calling thread into a fresh, private network namespace (with only a loopback interface) and
/// sets sysctls there. Threads started afterwards by this thread inherit the namespace; the host's own
/// network settings are never touched.
public enum NetworkNamespace {
    /// How the namespace was obtained.
    public enum Kind: Sendable, Equatable {
        /// As root: CLONE_NEWNET.
        case privileged
        /// Unprivileged: a user namespace (we are root inside it) plus CLONE_NEWNET.
        case userNamespace
    }

    /// Enters a new network namespace. As root this is plain CLONE_NEWNET; otherwise it tries an
    /// unprivileged user + network namespace, which needs a single-threaded process and a kernel that
    /// allows it. Throws the errno of the last attempt.
    public static func enterPrivate() throws(SystemError) -> Kind {
        if geteuid() == 0 {
            if ctw_unshare_net(0) == 0 { return .privileged }
            throw SystemError(errno: lastErrno(), call: "unshare(CLONE_NEWNET)")
        }
        let uid = getuid()
        let gid = getgid()
        if ctw_unshare_net(1) != 0 {
            throw SystemError(errno: lastErrno(), call: "unshare(CLONE_NEWUSER|CLONE_NEWNET)")
        }
        try ProcFile.write("/proc/self/setgroups", "deny")
        try ProcFile.write("/proc/self/uid_map", "0 \(uid) 1\n")
        try ProcFile.write("/proc/self/gid_map", "0 \(gid) 1\n")
        return .userNamespace
    }

    /// Brings up `lo` in the current network namespace (a new namespace starts with it down).
    public static func bringLoopbackUp() throws(SystemError) {
        if ctw_loopback_up() != 0 { throw SystemError(errno: lastErrno(), call: "ioctl(SIOCSIFFLAGS lo)") }
    }

    /// The /proc/sys path of a dotted sysctl name ("net.ipv4.tcp_tw_reuse").
    public static func sysctlPath(_ key: String) -> String {
        "/proc/sys/" + key.split(separator: ".").joined(separator: "/")
    }

    /// Writes a sysctl of the current namespace.
    public static func setSysctl(_ key: String, _ value: String) throws(SystemError) {
        try ProcFile.write(sysctlPath(key), value)
    }

}
