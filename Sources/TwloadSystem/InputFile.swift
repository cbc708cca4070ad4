/// A whole input file read for parsing (`plot`'s and `merge`'s inputs): refused above a size limit rather
/// than read in part.
public enum InputFile {
    /// Why an input was not read.
    public enum Failure: Error, Sendable {
        /// It cannot be opened or read.
        case unreadable(SystemError)
        /// It holds `limit` bytes or more.
        case tooLarge(limit: Int)

        /// "larger than 256 MiB", or the system error.
        public var message: String {
            switch self {
            case .unreadable(let e): "cannot read: \(e)"
            case .tooLarge(let limit): "larger than \(limit >> 20) MiB"
            }
        }
    }

    /// The file at `path` as text, when it is smaller than `limit` bytes.
    public static func read(_ path: String, limit: Int) throws(Failure) -> String {
        let text: String
        do {
            text = try ProcFile.read(path, maxBytes: limit)
        } catch {
            throw .unreadable(error)
        }
        guard text.utf8.count < limit else { throw .tooLarge(limit: limit) }
        return text
    }
}
