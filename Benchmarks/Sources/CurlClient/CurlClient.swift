import CCurl

/// libcurl with one reused easy handle (one keep-alive connection), set up as fnhost's worker runtime used it before
/// issue 6 replaced it with its own socket client: URL, headers and body set on every request, `Expect:` emptied on
/// POSTs, `CURLOPT_NOSIGNAL` and `TCP_NODELAY` on. The one libcurl client of the benchmarks: the runner's comparison
/// floor and `bench-echo-curl`'s Runtime API client, so that the A/B shows what libcurl costs and nothing else.
///
/// Blocking, and not thread-safe: one owner, one request at a time.
public final class CurlClient {
    /// Why a request failed in libcurl (connection refused, timeout, …).
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// What came back: the status and the body.
    public struct Response {
        public var status: Int
        public var body: [UInt8]
    }

    /// Where the write callback collects the body (passed to libcurl as an unretained pointer).
    private final class Sink { var bytes: [UInt8] = [] }

    private let handle: UnsafeMutableRawPointer
    private let sink = Sink()
    private let timeoutMs: Int
    private static let globalInit: Void = { _ = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    /// A client whose every request gives up after `timeoutMs` (0: never, as a worker's `next` long poll needs).
    public init(timeoutMs: Int = 0) {
        self.timeoutMs = timeoutMs
        _ = Self.globalInit
        guard let h = curl_easy_init() else { fatalError("libcurl: curl_easy_init failed") }
        handle = h
        _ = fnhost_curl_set_long(handle, CURLOPT_NOSIGNAL, 1)
        _ = fnhost_curl_set_long(handle, CURLOPT_TCP_NODELAY, 1)
        _ = fnhost_curl_set_write_function(handle) { ptr, size, count, userdata in
            let n = size * count
            guard let ptr, let userdata else { return n }
            Unmanaged<Sink>.fromOpaque(userdata).takeUnretainedValue().bytes
                .append(contentsOf: UnsafeRawBufferPointer(start: ptr, count: n))
            return n
        }
        _ = fnhost_curl_set_pointer(handle, CURLOPT_WRITEDATA, Unmanaged.passUnretained(sink).toOpaque())
    }

    deinit { curl_easy_cleanup(handle) }

    /// POSTs `body` (application/json) to `url`.
    public func post(_ url: String, body: [UInt8]) throws -> Response {
        try perform(url: url, body: body)
    }

    /// GETs `url`.
    public func get(_ url: String) throws -> Response {
        try perform(url: url, body: nil)
    }

    private func perform(url: String, body: [UInt8]?) throws -> Response {
        sink.bytes.removeAll(keepingCapacity: true)
        _ = fnhost_curl_set_string(handle, CURLOPT_URL, url)
        _ = fnhost_curl_set_long(handle, CURLOPT_TIMEOUT_MS, timeoutMs)
        var list: UnsafeMutablePointer<curl_slist>? = nil
        list = curl_slist_append(list, "Content-Type: application/json")
        if body != nil { list = curl_slist_append(list, "Expect:") }
        defer { curl_slist_free_all(list) }
        _ = fnhost_curl_set_slist(handle, CURLOPT_HTTPHEADER, list)
        let code: CURLcode
        if let body {
            _ = fnhost_curl_set_long(handle, CURLOPT_POST, 1)
            _ = fnhost_curl_set_long(handle, CURLOPT_POSTFIELDSIZE, body.count)
            code = body.withUnsafeBufferPointer { buf in
                _ = fnhost_curl_set_pointer(
                    handle, CURLOPT_POSTFIELDS,
                    UnsafeMutableRawPointer(mutating: buf.baseAddress ?? UnsafePointer(bitPattern: 1)!))
                return curl_easy_perform(handle)
            }
            _ = fnhost_curl_set_pointer(handle, CURLOPT_POSTFIELDS, nil)
        } else {
            _ = fnhost_curl_set_long(handle, CURLOPT_HTTPGET, 1)
            code = curl_easy_perform(handle)
        }
        guard code == CURLE_OK else {
            throw Failure(description: "\(url): \(String(cString: curl_easy_strerror(code)))")
        }
        var status = 0
        _ = fnhost_curl_get_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return Response(status: status, body: sink.bytes)
    }

    /// A header of the last response (`curl_easy_header`: case-insensitive), if it had one.
    public func header(_ name: String) -> String? {
        fnhost_curl_header(handle, name).map { String(cString: $0) }
    }
}
