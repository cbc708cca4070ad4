import CTwloadLinux
import Glibc
import TwloadSystem

/// A file whose size cannot grow past a limit: a memfd of `size` bytes sealed with F_SEAL_GROW. A write
/// that crosses the limit takes the bytes up to the page boundary below it and refuses the rest (EPERM), as
/// a full disk takes part of a write and then says ENOSPC; tests of `OutputFile.writeRecord` use it.
public enum SealedMemoryFile {
    // From <linux/memfd.h> and <linux/fcntl.h>, which `import Glibc` does not expose (they need _GNU_SOURCE).
    private static let memfdCloexec = 0x0001
    private static let memfdAllowSealing = 0x0002
    private static let addSeals: Int32 = 1024 + 9
    private static let sealGrow: Int32 = 0x0004

    /// A new descriptor of `size` zero bytes, positioned at 0, that can shrink but never grow.
    public static func make(size: Int) throws(SystemError) -> Int32 {
        let r = "twload-test".withCString { name in
            ctw_sys3(Int(SYS_memfd_create), Int(bitPattern: name), memfdCloexec | memfdAllowSealing, 0)
        }
        if r < 0 { throw SystemError(errno: Errno(rawValue: Int32(-r)), call: "memfd_create") }
        let fd = Int32(r)
        if ftruncate(fd, off_t(size)) != 0 || fcntl(fd, addSeals, sealGrow) != 0 {
            let e = Errno(rawValue: errno)
            close(fd)
            throw SystemError(errno: e, call: "memfd seal")
        }
        return fd
    }
}
