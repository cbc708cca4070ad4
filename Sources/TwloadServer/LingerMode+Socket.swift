import TwloadModel
import TwloadSystem

extension LingerMode {
    /// Sets SO_LINGER on `fd` as this mode says (nothing for `off`).
    func apply(to fd: Int32) throws(SystemError) {
        switch self {
        case .off: break
        case .reset: try SocketOptions.setLinger(fd, seconds: 0)
        case .seconds(let n): try SocketOptions.setLinger(fd, seconds: n)
        }
    }
}
