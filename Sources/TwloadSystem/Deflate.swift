import CZlib

/// A zlib call that failed, or a compressed stream that is not acceptable. Typed, and it never allocates.
public enum ZlibError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `call` returned `code` (Z_DATA_ERROR: corrupt data or a bad checksum; Z_MEM_ERROR; ...).
    case failed(call: StaticString, code: Int32)
    /// The stream inflates to more than `limit` bytes (a zip bomb, or not what the caller expects).
    case outputOverLimit(limit: Int)
    /// The input ends before the compressed stream does.
    case truncated
    /// `count` bytes follow the end of the compressed stream.
    case trailingBytes(count: Int)

    /// E.g. "zlib inflate failed: Z_DATA_ERROR (-3)".
    public var description: String {
        switch self {
        case .failed(let call, let code): "zlib \(call) failed: \(Self.name(of: code)) (\(code))"
        case .outputOverLimit(let limit): "the compressed data inflates to more than \(limit) bytes"
        case .truncated: "the compressed data ends before its stream does"
        case .trailingBytes(let count): "\(count) bytes follow the end of the compressed data"
        }
    }

    /// zlib's name for a return code.
    static func name(of code: Int32) -> String {
        switch code {
        case Z_STREAM_ERROR: "Z_STREAM_ERROR"
        case Z_DATA_ERROR: "Z_DATA_ERROR"
        case Z_MEM_ERROR: "Z_MEM_ERROR"
        case Z_BUF_ERROR: "Z_BUF_ERROR"
        case Z_VERSION_ERROR: "Z_VERSION_ERROR"
        case Z_NEED_DICT: "Z_NEED_DICT"
        default: "unknown code"
        }
    }

    public static func == (a: ZlibError, b: ZlibError) -> Bool {
        switch (a, b) {
        case (.failed(let c1, let k1), .failed(let c2, let k2)): c1.description == c2.description && k1 == k2
        case (.outputOverLimit(let l1), .outputOverLimit(let l2)): l1 == l2
        case (.truncated, .truncated): true
        case (.trailingBytes(let n1), .trailingBytes(let n2)): n1 == n2
        default: false
        }
    }
}

/// The system zlib for whole buffers: the zlib (RFC 1950) format, a 2-byte header, DEFLATE data and an
/// Adler-32 checksum, which is what HdrHistogram's compressed encodings hold (Java's `Deflater`, Python's
/// `zlib.compress`).
public enum Zlib {
    /// `bytes` compressed at zlib's default level.
    public static func deflate(_ bytes: [UInt8]) throws(ZlibError) -> [UInt8] {
        var length = compressBound(uLong(bytes.count))
        var out = [UInt8](repeating: 0, count: Int(length))
        let r = out.withUnsafeMutableBufferPointer { o in
            bytes.withUnsafeBufferPointer { i in
                compress2(o.baseAddress, &length, i.baseAddress, uLong(i.count), Z_DEFAULT_COMPRESSION)
            }
        }
        guard r == Z_OK else { throw .failed(call: "compress2", code: r) }
        out.removeLast(out.count - Int(length))
        return out
    }

    /// The bytes of the one zlib stream that `bytes` holds, which must end exactly where the stream does.
    /// Throws, without inflating further, as soon as the output would pass `limit` bytes, so that a small
    /// input cannot make it allocate without bound.
    public static func inflate(_ bytes: [UInt8], limit: Int) throws(ZlibError) -> [UInt8] {
        var stream = z_stream()
        let initialised = czlib_inflate_init(&stream)
        guard initialised == Z_OK else { throw .failed(call: "inflateInit", code: initialised) }
        let result = bytes.withUnsafeBufferPointer { input in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.avail_in = uInt(input.count)
            return Result { () throws(ZlibError) in try inflateAll(&stream, limit: limit) }
        }
        let ended = inflateEnd(&stream)
        let output = try result.get()
        guard ended == Z_OK else { throw .failed(call: "inflateEnd", code: ended) }
        return output
    }

    /// Runs inflate on a stream whose input is set until the stream ends.
    private static func inflateAll(_ stream: inout z_stream, limit: Int) throws(ZlibError) -> [UInt8] {
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: max(1, min(16_384, limit)))
        while true {
            let r = chunk.withUnsafeMutableBufferPointer { out in
                stream.next_out = out.baseAddress
                stream.avail_out = uInt(out.count)
                return CZlib.inflate(&stream, Z_NO_FLUSH)
            }
            let produced = chunk.count - Int(stream.avail_out)
            if output.count + produced > limit { throw .outputOverLimit(limit: limit) }
            output.append(contentsOf: chunk[..<produced])
            switch r {
            case Z_STREAM_END:
                if stream.avail_in != 0 { throw .trailingBytes(count: Int(stream.avail_in)) }
                return output
            case Z_OK: continue
            // No progress is possible: the input is used up and the stream wants more.
            case Z_BUF_ERROR: throw .truncated
            default: throw .failed(call: "inflate", code: r)
            }
        }
    }
}
