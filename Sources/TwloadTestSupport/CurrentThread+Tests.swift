import CTwloadLinux
import TwloadSystem

extension CurrentThread {
    /// The calling thread's timer slack in nanoseconds (PR_GET_TIMERSLACK), for tests of `setTimerSlack`.
    public static func timerSlack() throws(SystemError) -> UInt {
        let r = ctw_get_timer_slack()
        if r < 0 { throw SystemError(errno: Errno(rawValue: Int32(-r)), call: "prctl(PR_GET_TIMERSLACK)") }
        return UInt(r)
    }
}
