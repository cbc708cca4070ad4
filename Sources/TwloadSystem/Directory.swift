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

    /// The names in folder `path` (without "." and ".."), sorted.
    public static func entries(_ path: String) throws(SystemError) -> [String] {
        guard let dir = opendir(path) else { throw SystemError(errno: lastErrno(), call: "opendir") }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// Whether `path` is a folder (after following symbolic links).
    public static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }
}
