/// Builders for the requests twload sends.
public enum HTTPRequest {
    /// `GET <path> HTTP/1.1` with Host, User-Agent and Accept headers, plus
    /// `Connection: close` when `connectionClose` is set, ending with the blank line.
    public static func get(host: String, path: String, connectionClose: Bool) -> [UInt8] {
        var text = "GET \(path) HTTP/1.1\r\nHost: \(host)\r\nUser-Agent: twload\r\nAccept: */*\r\n"
        if connectionClose { text += "Connection: close\r\n" }
        text += "\r\n"
        return Array(text.utf8)
    }
}
