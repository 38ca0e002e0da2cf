import Foundation
import TestSupport
import Testing

extension ServeSuite {
    /// InvokeWithResponseStream through boto3 (the AWS CLI v1 that CI installs has no invoke-with-response-stream):
    /// the event-stream encoding the SDKs decode, a buffered function's answer as one chunk, a function error in
    /// InvokeComplete, refusals as Lambda's errors.
    @Suite("Response streaming", .serialized, .sharedServer())
    struct ResponseStreaming {
        @Test func boto3ReadsABufferedAnswerAsOneChunkThenInvokeComplete() async throws {
            let server = try SharedServer.require()
            let out = try await AWSClients.boto3(
                "lambda", port: server.port,
                """
                out = {}
                def read(**kwargs):
                    r = client.invoke_with_response_stream(**kwargs)
                    events = []
                    for event in r["EventStream"]:
                        if "PayloadChunk" in event:
                            events.append(["PayloadChunk", event["PayloadChunk"]["Payload"].decode()])
                        elif "InvokeComplete" in event:
                            events.append(["InvokeComplete", event["InvokeComplete"]])
                    return {"status": r["StatusCode"], "version": r.get("ExecutedVersion"), "events": events}
                arn = "arn:aws:lambda:us-east-1:000000000000:function:org-status"
                out["ok"] = read(FunctionName=arn, Payload=json.dumps({"orgId": "ORG-0042"}), LogType="Tail")
                out["failed"] = read(FunctionName="org-status", Payload=json.dumps({"orgId": "ORG-9999"}))
                def error(call):
                    try:
                        call()
                        return "no error"
                    except client.exceptions.ClientError as e:
                        return e.response["Error"]["Code"]
                out["unknown"] = error(lambda: client.invoke_with_response_stream(FunctionName="nope", Payload=b"{}"))
                out["qualifier"] = error(lambda: client.invoke_with_response_stream(FunctionName="org-status", Qualifier="prod", Payload=b"{}"))
                out["notJSON"] = error(lambda: client.invoke_with_response_stream(FunctionName="org-status", Payload=b"{"))
                print(json.dumps(out))
                """)
            let ok = try #require(out["ok"] as? [String: Any])
            #expect(ok["status"] as? Int == 200)
            #expect(ok["version"] as? String == "$LATEST")
            let events = try #require(ok["events"] as? [[Any]])
            #expect(events.map { $0[0] as? String } == ["PayloadChunk", "InvokeComplete"])
            let chunk = try jsonObject(Array(try #require(events.first?[1] as? String).utf8))
            #expect(chunk["decision"] is String)
            let complete = try #require(events.last?[1] as? [String: Any])
            #expect(complete["ErrorCode"] == nil)
            let log = String(
                decoding: Data(base64Encoded: try #require(complete["LogResult"] as? String)) ?? Data(), as: UTF8.self)
            #expect(log.contains("REPORT RequestId:"), "LogResult holds the log's tail: \(log)")

            let failed = try #require((out["failed"] as? [String: Any])?["events"] as? [[Any]])
            #expect(failed.count == 1)
            let failure = try #require(failed.first?[1] as? [String: Any])
            #expect(failure["ErrorCode"] is String)
            #expect((failure["ErrorDetails"] as? String)?.contains("errorMessage") == true)

            #expect(out["unknown"] as? String == "ResourceNotFoundException")
            #expect(out["qualifier"] as? String == "ResourceNotFoundException")
            #expect(out["notJSON"] as? String == "InvalidRequestContentException")
        }

        @Test func boto3ReadsAStreamingFunctionsRowsAsTheyAreWritten() async throws {
            let server = try SharedServer.require()
            let out = try await AWSClients.boto3(
                "lambda", port: server.port,
                """
                import time
                out = {"chunks": [], "at": []}
                start = time.monotonic()
                r = client.invoke_with_response_stream(
                    FunctionName="report-stream", Payload=json.dumps({"rows": 4, "pauseMs": 500}), LogType="Tail")
                for event in r["EventStream"]:
                    if "PayloadChunk" in event:
                        out["chunks"].append(event["PayloadChunk"]["Payload"].decode())
                        out["at"].append(time.monotonic() - start)
                    elif "InvokeComplete" in event:
                        out["complete"] = event["InvokeComplete"]
                        out["completeAt"] = time.monotonic() - start
                whole = client.invoke(FunctionName="report-stream", Payload=json.dumps({"rows": 3, "pauseMs": 0}))
                out["whole"] = whole["Payload"].read().decode()
                print(json.dumps(out))
                """)
            let chunks = try #require(out["chunks"] as? [String])
            let at = try #require(out["at"] as? [Double])
            let completeAt = try #require(out["completeAt"] as? Double)
            let rows = chunks.joined().split(separator: "\n").map { try? jsonObject(Array($0.utf8)) }
            #expect(rows.map { $0?["row"] as? Int } == [1, 2, 3, 4], "\(chunks)")
            #expect(chunks.count >= 3, "rows written 500 ms apart arrive as chunks of their own: \(chunks)")
            // Measured: the first row reaches the caller while the function still has 1.5 s of rows to write.
            #expect(completeAt - (at.first ?? completeAt) >= 1.0, "first chunk at \(at), complete at \(completeAt)")
            let complete = try #require(out["complete"] as? [String: Any])
            #expect(complete["ErrorCode"] == nil)
            #expect(complete["LogResult"] is String)
            let whole = (out["whole"] as? String ?? "").split(separator: "\n")
            #expect(whole.count == 3, "Invoke gets the whole streamed report: \(whole)")
        }

        /// A runtime that streams two chunks, then fails: the trailers carry the error, raw HTTP/1.1 from Python.
        static let failingStreamer = #"""
            #!/usr/bin/env python3
            import base64, json, os, socket, sys, time, urllib.request
            api = os.environ["AWS_LAMBDA_RUNTIME_API"]
            host, port = api.rsplit(":", 1)
            while True:
                try:
                    r = urllib.request.urlopen("http://%s/2018-06-01/runtime/invocation/next" % api)
                except Exception:
                    sys.exit(0)
                rid = r.headers["Lambda-Runtime-Aws-Request-Id"]
                r.read()
                s = socket.create_connection((host, int(port)))
                s.sendall(("POST /2018-06-01/runtime/invocation/%s/response HTTP/1.1\r\nHost: %s\r\n"
                           "Lambda-Runtime-Function-Response-Mode: streaming\r\nTransfer-Encoding: chunked\r\n"
                           "Trailer: Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body\r\n"
                           "Connection: close\r\n\r\n" % (rid, api)).encode())
                for part in [b"row 1\n", b"row 2\n"]:
                    s.sendall(b"%x\r\n%s\r\n" % (len(part), part))
                    time.sleep(0.2)
                error = json.dumps({"errorMessage": "the report broke at row 3", "errorType": "Report.Broken"})
                s.sendall(("0\r\nLambda-Runtime-Function-Error-Type: Report.Broken\r\n"
                           "Lambda-Runtime-Function-Error-Body: %s\r\n\r\n" % base64.b64encode(error.encode()).decode()).encode())
                s.recv(4096)
                s.close()
            """#

        @Test func anErrorInTheTrailersEndsTheStreamWithItsCodeAfterTheChunksSent() async throws {
            try await withTemporaryDirectory("stream-error") { folder in
                let function = folder + "/functions/broken-report"
                try FileManager.default.createDirectory(atPath: function, withIntermediateDirectories: true)
                try Self.failingStreamer.write(toFile: function + "/bootstrap", atomically: true, encoding: .utf8)
                try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: function + "/bootstrap")
                try #"{"name": "broken-report", "command": ["./bootstrap"], "timeout": 10}"#.write(
                    toFile: function + "/function.json", atomically: true, encoding: .utf8)
                try await withServer(ServeOptions(functions: folder + "/functions")) { server in
                    let out = try await AWSClients.boto3(
                        "lambda", port: server.port,
                        """
                        out = {"chunks": []}
                        r = client.invoke_with_response_stream(FunctionName="broken-report", Payload=b"{}")
                        for event in r["EventStream"]:
                            if "PayloadChunk" in event:
                                out["chunks"].append(event["PayloadChunk"]["Payload"].decode())
                            elif "InvokeComplete" in event:
                                out["complete"] = event["InvokeComplete"]
                        r = client.invoke(FunctionName="broken-report", Payload=b"{}")
                        out["invokeError"] = r.get("FunctionError")
                        out["invokePayload"] = json.loads(r["Payload"].read())
                        print(json.dumps(out))
                        """)
                    #expect((out["chunks"] as? [String])?.joined() == "row 1\nrow 2\n")
                    let complete = try #require(out["complete"] as? [String: Any])
                    #expect(complete["ErrorCode"] as? String == "Report.Broken")
                    #expect((complete["ErrorDetails"] as? String)?.contains("the report broke at row 3") == true)
                    #expect(out["invokeError"] as? String == "Unhandled")
                    #expect((out["invokePayload"] as? [String: Any])?["errorType"] as? String == "Report.Broken")
                }
            }
        }
    }
}
