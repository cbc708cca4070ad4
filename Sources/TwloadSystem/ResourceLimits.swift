import Glibc

/// RLIMIT_NOFILE handling: a load generator needs many descriptors.
public enum ResourceLimits {
    /// Raises the soft open-files limit to the hard limit and returns the new soft limit.
    public static func raiseOpenFilesLimit() throws(SystemError) -> Int {
        var lim = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &lim) != 0 {
            throw SystemError(errno: lastErrno(), call: "getrlimit")
        }
        if lim.rlim_cur < lim.rlim_max {
            lim.rlim_cur = lim.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &lim) != 0 {
                throw SystemError(errno: lastErrno(), call: "setrlimit")
            }
        }
        return lim.rlim_cur > rlim_t(Int32.max) ? Int(Int32.max) : Int(lim.rlim_cur)
    }
}

/// The number of online processors.
public enum ProcessorCount {
    public static var online: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
}
