// bench-echo-curl: bench-echo with a Runtime API client on libcurl instead of LambdaRuntime's own socket client,
// linked the same way (static Swift runtime). It exists only for the A/B in fnhost-bench's `curl` section: what the
// worker pays for libcurl's shared libraries at spawn, in resident memory and per call.
//
// The loop is the one fnhost's workers ran before issue 6, set up as swift-notes.md says libcurl must be: one easy
// handle reused for `next` and `response` (keep-alive), an empty `Expect:` on POSTs, `CURLOPT_NOSIGNAL`, response
// headers through `curl_easy_header`. libcurl does not pipeline, so each invocation is two exchanges (POST response,
// then GET next), where LambdaRuntime sends both in one write; the A/B measures that difference too.
import BenchEchoHandler
import CCurl

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Where the write callback collects a response body (handed to libcurl as an unretained pointer).
final class BodySink {
    var bytes: [UInt8] = []
}

/// The worker: the Runtime API loop on one reused libcurl easy handle.
@main
enum BenchEchoCurl {
    static func main() {
        guard let api = getenv("AWS_LAMBDA_RUNTIME_API").map({ String(cString: $0) }) else {
            // What the spawn floor waits for: main() ran and said so.
            say("bench-echo-curl: AWS_LAMBDA_RUNTIME_API is not set; this program runs as a Lambda worker", fd: 1)
            exit(2)
        }
        _ = curl_global_init(Int(CURL_GLOBAL_DEFAULT))
        guard let handle = curl_easy_init() else { fail("curl_easy_init failed") }
        let sink = BodySink()
        _ = fnhost_curl_set_long(handle, CURLOPT_NOSIGNAL, 1)
        _ = fnhost_curl_set_long(handle, CURLOPT_TCP_NODELAY, 1)
        _ = fnhost_curl_set_write_function(handle) { pointer, size, count, userdata in
            let sink = Unmanaged<BodySink>.fromOpaque(userdata!).takeUnretainedValue()
            let total = size * count
            if let pointer { sink.bytes.append(contentsOf: UnsafeRawBufferPointer(start: pointer, count: total)) }
            return total
        }
        _ = fnhost_curl_set_pointer(handle, CURLOPT_WRITEDATA, Unmanaged.passUnretained(sink).toOpaque())
        let base = "http://\(api)/2018-06-01/runtime"
        let decoder = JSONDecoder()
        let encoder = JSONEncoder()
        while true {
            let status = exchange(handle, sink, base + "/invocation/next", post: nil)
            guard status == 200,
                let id = fnhost_curl_header(handle, "Lambda-Runtime-Aws-Request-Id").map({ String(cString: $0) })
            else { fail("the Runtime API answered next with status \(status)") }
            let answer: [UInt8]
            let path: String
            do {
                let event = try decoder.decode(BenchEvent.self, from: Data(sink.bytes))
                answer = Array(try encoder.encode(BenchEcho.answer(to: event)))
                path = "/response"
            } catch {
                answer = Array(
                    #"{"errorMessage":"could not decode the event","errorType":"Runtime.InvalidEvent"}"#.utf8)
                path = "/error"
            }
            let answered = exchange(handle, sink, base + "/invocation/\(id)" + path, post: answer)
            if answered >= 400 { fail("the Runtime API refused the answer to \(id) with status \(answered)") }
        }
    }

    /// One exchange on the reused handle; returns the status. A failed exchange ends the worker: the host is gone,
    /// and a worker never outlives it.
    static func exchange(_ handle: UnsafeMutableRawPointer, _ sink: BodySink, _ url: String, post body: [UInt8]?) -> Int
    {
        sink.bytes.removeAll(keepingCapacity: true)
        _ = fnhost_curl_set_string(handle, CURLOPT_URL, url)
        var list: UnsafeMutablePointer<curl_slist>? = nil
        list = curl_slist_append(list, "Content-Type: application/json")
        if body != nil { list = curl_slist_append(list, "Expect:") }
        defer { curl_slist_free_all(list) }
        _ = fnhost_curl_set_slist(handle, CURLOPT_HTTPHEADER, list)
        let code: CURLcode
        if let body {
            _ = fnhost_curl_set_long(handle, CURLOPT_POST, 1)
            _ = fnhost_curl_set_long(handle, CURLOPT_POSTFIELDSIZE, body.count)
            code = body.withUnsafeBytes { raw in
                _ = fnhost_curl_set_pointer(
                    handle, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: raw.baseAddress))
                return curl_easy_perform(handle)
            }
            _ = fnhost_curl_set_pointer(handle, CURLOPT_POSTFIELDS, nil)
        } else {
            _ = fnhost_curl_set_long(handle, CURLOPT_HTTPGET, 1)
            code = curl_easy_perform(handle)
        }
        guard code == CURLE_OK else { exit(0) }
        var status = 0
        _ = fnhost_curl_get_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return status
    }

    /// Writes a line to `fd`.
    static func say(_ message: String, fd: Int32) {
        var line = message + "\n"
        line.withUTF8 { _ = write(fd, $0.baseAddress, $0.count) }
    }

    /// Ends the worker with a line on standard error.
    static func fail(_ message: String) -> Never {
        say("bench-echo-curl: " + message, fd: 2)
        exit(1)
    }
}
