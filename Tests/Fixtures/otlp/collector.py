#!/usr/bin/env python3
"""An OTLP/HTTP trace collector for fnhost's tests: it decodes every export with OpenTelemetry's own protobuf schema
(opentelemetry-proto, from PyPI) and writes one JSON line per span to OUT.

    collector.py OUT [accept|refuse|hang]

It listens on a free loopback port and prints that port on its first line. `accept` answers 200 with an empty
ExportTraceServiceResponse; `refuse` answers 500; `hang` reads the request and never answers. A body that is not an
ExportTraceServiceRequest is answered 400 and written to OUT as {"error": ...}, so a test sees it.
"""
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from opentelemetry.proto.collector.trace.v1 import trace_service_pb2

OUT = sys.argv[1]
MODE = sys.argv[2] if len(sys.argv) > 2 else "accept"
lock = threading.Lock()


def write(records):
    with lock, open(OUT, "a") as f:
        for r in records:
            f.write(json.dumps(r) + "\n")


def value(any_value):
    kind = any_value.WhichOneof("value")
    return getattr(any_value, kind) if kind else None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if MODE == "hang":
            time.sleep(3600)
            return
        if MODE == "refuse":
            self.answer(500, b"refused on purpose")
            return
        request = trace_service_pb2.ExportTraceServiceRequest()
        try:
            request.ParseFromString(body)
        except Exception as error:  # noqa: BLE001 - any decoding failure is the test's finding
            write([{"error": str(error), "path": self.path, "contentType": self.headers.get("Content-Type")}])
            self.answer(400, b"not an ExportTraceServiceRequest")
            return
        records = []
        for resource_spans in request.resource_spans:
            service = {kv.key: value(kv.value) for kv in resource_spans.resource.attributes}.get("service.name")
            for scope_spans in resource_spans.scope_spans:
                for span in scope_spans.spans:
                    records.append({
                        "path": self.path,
                        "contentType": self.headers.get("Content-Type"),
                        "service": service,
                        "scope": scope_spans.scope.name,
                        "traceId": span.trace_id.hex(),
                        "spanId": span.span_id.hex(),
                        "parentSpanId": span.parent_span_id.hex() or None,
                        "name": span.name,
                        "kind": span.kind,
                        "start": span.start_time_unix_nano,
                        "end": span.end_time_unix_nano,
                        "status": span.status.code,
                        "attributes": {kv.key: value(kv.value) for kv in span.attributes},
                    })
        write(records)
        self.answer(200, trace_service_pb2.ExportTraceServiceResponse().SerializeToString(), "application/x-protobuf")

    def answer(self, status, body, content_type="text/plain"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
server.serve_forever()
