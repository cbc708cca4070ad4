import Glibc

/// Folders twload writes into (`run --out DIR`).
public enum Directory {
    /// Creates `path` and any missing parents (mode 0755), like `mkdir -p`. A folder already there is
    /// fine; anything else already there (a file) fails with ENOTDIR or EEXIST.
    public static func create(_ path: String) throws(SystemError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            prefix += part
            if mkdir(prefix, 0o755) != 0 {
                let e = lastErrno()
                guard e.rawValue == EEXIST, isDirectory(prefix) else { throw SystemError(errno: e, call: "mkdir") }
            }
            prefix += "/"
        }
    }

    /// Whether `path` is a folder (after following symbolic links).
    public static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }
}
