import FnhostHost
import FnhostTraces
import FnhostWire
import TestSupport
import Testing

extension Integration {
    /// org-status opens its spans through swift-distributed-tracing (`withSpan`); a real worker sends them and the
    /// host draws them in the invocation's trace.
    @Suite("A function's own spans, from a real worker, in the invocation's trace")
    struct FunctionSpanTraces {
        @Test("org-status's withSpan spans nest as opened, carry their attributes, and sit under the duration")
        func orgStatusSpansNestWithAttributes() async throws {
            try await withHost(functions: Paths.functions) { host in
                let result = try await host.invoke("org-status", #"{"orgId": "ORG-0042"}"#)
                let answer = try result.answer()
                let spans = try #require(result.trace?.spans)
                let duration = try #require(spans.first { $0.name == "duration" && $0.function == "org-status" })
                let find = try #require(spans.first { $0.name == "find organisation" })
                let verdict = try #require(spans.first { $0.name == "rules verdict" })
                let call = try #require(spans.first { $0.name == "invoke rules" })
                #expect(find.parent == duration.id && verdict.parent == duration.id)
                #expect(call.parent == verdict.id, "the call's own span is inside the span it was opened in")
                for span in [find, verdict, call] {
                    #expect(span.kind == .function && span.timing == .measured && span.function == "org-status")
                    #expect(span.startMs >= duration.startMs && span.endMs <= duration.endMs + 0.5, "\(span)")
                }
                #expect(call.startMs >= verdict.startMs && call.endMs <= verdict.endMs + 0.01)
                #expect(find.attributes == ["org.id": "ORG-0042", "org.found": "true"])
                #expect(verdict.attributes["rules.mode"] == "invoke")
                #expect(verdict.attributes["rules.decision"] == answer["decision"] as? String)
                #expect(verdict.attributes["rules.version"] == answer["rulesetVersion"] as? String)
                #expect(call.attributes == ["faas.invoked_name": "rules"])
                #expect(!spans.contains { $0.attributes[Span.errorAttribute] != nil })
                // The host's own call span (the callee's invocation) is still under the duration.
                let rules = try #require(spans.first { $0.function == "rules" && $0.kind == .call })
                #expect(rules.parent == duration.id)
            }
        }

        @Test("the span that threw carries the error, and the invocation's outcome is the function error")
        func theSpanThatThrewCarriesTheError() async throws {
            try await withHost(functions: Paths.functions) { host in
                let result = try await host.invoke("org-status", #"{"orgId": "ORG-9999"}"#)
                let error = try result.functionError()
                #expect(error.errorType == "OrganisationNotFound")
                let spans = try #require(result.trace?.spans)
                let find = try #require(spans.first { $0.name == "find organisation" })
                #expect(find.attributes["org.found"] == "false")
                #expect(find.attributes[Span.errorAttribute] == "OrganisationNotFound: \(error.errorMessage)")
                #expect(find.failed)
                #expect(!spans.contains { $0.name == "rules verdict" })
            }
        }
    }
}
