import CCurl

/// A small blocking HTTP/1.1 client over one reused libcurl easy handle (one keep-alive connection).
///
/// A worker serves one invocation at a time, so the runtime loop talks to the host strictly in sequence; a reused
/// handle keeps one connection open for `next`, `response` and the `next` after it, as AWS's runtimes do.
/// Not thread-safe: each owner keeps its own.
final class CurlClient {
    struct Response {
        var status: Int
        var body: [UInt8]
        var headers: [String: String]
    }

    enum Failure: Error, CustomStringConvertible {
        case transport(code: Int, message: String)
        var description: String {
            switch self {
            case .transport(let code, let message): "HTTP transport error \(code): \(message)"
            }
        }
    }

    private let handle: UnsafeMutableRawPointer
    private final class Sink { var bytes: [UInt8] = [] }

    private static let globalInit: Void = { _ = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    init() {
        _ = Self.globalInit
        guard let h = curl_easy_init() else { fatalError("libcurl: curl_easy_init failed") }
        handle = h
        _ = fnhost_curl_set_long(handle, CURLOPT_NOSIGNAL, 1)
        _ = fnhost_curl_set_long(handle, CURLOPT_TCP_NODELAY, 1)
    }

    deinit { curl_easy_cleanup(handle) }

    /// Performs one request. `timeoutMs` 0 means no timeout (the Runtime API's `next` must wait for as long as it
    /// takes), and `wantHeaders` names the response headers to read back.
    func perform(
        method: String, url: String, headers: [(String, String)] = [], body: [UInt8]? = nil,
        timeoutMs: Int = 0, wantHeaders: [String] = []
    ) throws(Failure) -> Response {
        let sink = Sink()
        let sinkPtr = Unmanaged.passUnretained(sink).toOpaque()
        _ = fnhost_curl_set_string(handle, CURLOPT_URL, url)
        _ = fnhost_curl_set_long(handle, CURLOPT_TIMEOUT_MS, timeoutMs)
        _ = fnhost_curl_set_write_function(handle) { ptr, size, count, userdata in
            let n = size * count
            guard let ptr, let userdata else { return n }
            let sink = Unmanaged<Sink>.fromOpaque(userdata).takeUnretainedValue()
            sink.bytes.append(contentsOf: UnsafeRawBufferPointer(start: ptr, count: n))
            return n
        }
        _ = fnhost_curl_set_pointer(handle, CURLOPT_WRITEDATA, sinkPtr)

        var list: UnsafeMutablePointer<curl_slist>? = nil
        for (name, value) in headers { list = curl_slist_append(list, "\(name): \(value)") }
        if method == "POST" { list = curl_slist_append(list, "Expect:") }
        defer { if let list { curl_slist_free_all(list) } }
        _ = fnhost_curl_set_slist(handle, CURLOPT_HTTPHEADER, list)

        let code: CURLcode
        if method == "POST" {
            let payload = body ?? []
            _ = fnhost_curl_set_long(handle, CURLOPT_POST, 1)
            _ = fnhost_curl_set_long(handle, CURLOPT_POSTFIELDSIZE, payload.count)
            code = payload.withUnsafeBufferPointer { buf in
                _ = fnhost_curl_set_pointer(
                    handle, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: buf.baseAddress ?? UnsafePointer(bitPattern: 1)!)
                )
                return curl_easy_perform(handle)
            }
            _ = fnhost_curl_set_pointer(handle, CURLOPT_POSTFIELDS, nil)
        } else {
            _ = fnhost_curl_set_long(handle, CURLOPT_HTTPGET, 1)
            code = curl_easy_perform(handle)
        }
        guard code == CURLE_OK else {
            throw .transport(code: Int(code.rawValue), message: String(cString: curl_easy_strerror(code)))
        }
        var status = 0
        _ = fnhost_curl_get_long(handle, CURLINFO_RESPONSE_CODE, &status)
        var found: [String: String] = [:]
        for name in wantHeaders {
            if let v = fnhost_curl_header(handle, name) { found[name] = String(cString: v) }
        }
        return Response(status: status, body: sink.bytes, headers: found)
    }
}
