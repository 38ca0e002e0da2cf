// bench-echo-curl: bench-echo with a Runtime API client on libcurl instead of LambdaRuntime's own socket client,
// linked the same way (static Swift runtime). It exists only for the A/B in fnhost-bench's `curl` section: what the
// worker pays for libcurl's shared libraries at spawn, in resident memory and per call.
//
// The loop is the one fnhost's workers ran before issue 6, set up as swift-notes.md says libcurl must be: one easy
// handle reused for `next` and `response` (keep-alive), an empty `Expect:` on POSTs, `CURLOPT_NOSIGNAL`, response
// headers through `curl_easy_header`. libcurl does not pipeline, so each invocation is two exchanges (POST response,
// then GET next), where LambdaRuntime sends both in one write; the A/B measures that difference too.
import BenchEchoHandler
import CurlClient
import FnhostWire

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// The worker: the Runtime API loop on one reused libcurl easy handle.
@main
enum BenchEchoCurl {
    static func main() {
        guard let api = getenv(RuntimeAPI.Environment.runtimeAPI).map({ String(cString: $0) }) else {
            // What the spawn floor waits for: main() ran and said so.
            say("bench-echo-curl: AWS_LAMBDA_RUNTIME_API is not set; this program runs as a Lambda worker", fd: 1)
            exit(2)
        }
        let client = CurlClient()
        let base = "http://" + api
        let decoder = JSONDecoder()
        let encoder = JSONEncoder()
        while true {
            let next = exchange(client, base + RuntimeAPI.nextPath, post: nil)
            guard next.status == 200, let id = client.header(RuntimeAPI.Header.requestID) else {
                fail("the Runtime API answered next with status \(next.status)")
            }
            let answer: [UInt8]
            let path: (String) -> String
            do {
                let event = try decoder.decode(BenchEvent.self, from: Data(next.body))
                answer = Array(try encoder.encode(BenchEcho.answer(to: event)))
                path = { RuntimeAPI.responsePath(requestID: $0) }
            } catch {
                answer = Array(
                    #"{"errorMessage":"could not decode the event","errorType":"Runtime.InvalidEvent"}"#.utf8)
                path = { RuntimeAPI.errorPath(requestID: $0) }
            }
            let answered = exchange(client, base + path(id), post: answer)
            if answered.status >= 400 {
                fail("the Runtime API refused the answer to \(id) with status \(answered.status)")
            }
        }
    }

    /// One exchange on the reused handle. A failed exchange ends the worker: the host is gone, and a worker never
    /// outlives it.
    static func exchange(_ client: CurlClient, _ url: String, post body: [UInt8]?) -> CurlClient.Response {
        do {
            return try body.map { try client.post(url, body: $0) } ?? client.get(url)
        } catch {
            exit(0)
        }
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
