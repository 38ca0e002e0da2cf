import Foundation
import TestSupport
import Testing

extension ServeSuite {
    @Suite("Log format")
    struct LogFormat {
        @Test("--log-format json: every line on stdout is a JSON object with time, type and message")
        func jsonLogLines() async throws {
            var options = ServeOptions(functions: Paths.fixtureFunctions)
            options.logFormat = "json"
            try await withServer(options) { server in
                // Platform lines, function output and an error, then the shutdown notes.
                #expect(try await server.client.invoke("slow", payload: #"{"sleep": 0}"#).status == 200)
                #expect(
                    try await server.client.invoke("poison", payload: "{}").header("X-Amz-Function-Error")
                        == "Unhandled")
                #expect(try await server.client.get("/nope").status == 404)
                let (ended, _) = await server.stop()
                #expect(ended == .exited(0))
                #expect(await server.waitForOutputEnd())

                let lines = server.outputLines
                let banner = try #require(
                    lines.firstIndex { $0.contains("fnhost serve listening on") }, "no banner: \(lines.prefix(5))")
                #expect(lines.count > banner + 6, "too few lines to prove anything: \(lines)")
                var types: Set<String> = []
                for line in lines[banner...] {
                    let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                    #expect(object != nil, "not a JSON object: \(line)")
                    guard let object else { continue }
                    #expect(object["time"] is String, "no time: \(line)")
                    #expect(object["message"] is String, "no message: \(line)")
                    if let type = object["type"] as? String {
                        types.insert(type)
                    } else {
                        Issue.record("no type: \(line)")
                    }
                }
                #expect(types.isSuperset(of: ["fnhost", "platform"]), "types seen: \(types)")
                let messages = lines.compactMap {
                    try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
                }
                .compactMap { $0["message"] as? String }
                #expect(messages.contains { $0.hasPrefix("START RequestId:") })
                #expect(messages.contains { $0.hasPrefix("REPORT RequestId:") })
                #expect(messages.contains("fnhost: stopped"))
            }
        }
    }
}
