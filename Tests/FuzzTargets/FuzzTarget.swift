import FnhostEventSources
import FnhostGateway
import FnhostManifest
import FnhostProfiles
import FnhostSimulation
import FnhostStates
import FnhostTemplate
import FnhostTraces
import FnhostWire
@_spi(Fuzzing) import LambdaRuntime
import LambdaRuntimeC
import RuleEngine
import WorkerCache

#if canImport(Glibc)
import Glibc
#endif

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The parsers of bytes that come from another process or from a user's file, each with the invariants a fuzzer
/// checks: any input must be either accepted with a well-formed result or refused with the parser's own typed error.
/// Anything else (a trap, a broken invariant) is a bug.
///
/// Shared by the libFuzzer harness (`Tests/Fuzz`, built by `scripts/fuzz`) and by `FuzzRegressionTests`, which replays
/// the seed corpus and every crash ever found (`Tests/Fuzz/regressions/TARGET/`) in the ordinary test suite.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// `function.json` manifests (`ManifestLoader`).
    case manifest
    /// Overhead profiles (`ProfileLoader`).
    case profile
    /// The gateway: route keys, request-to-event, answer-to-response (`GatewayFuzzEntry`).
    case gateway
    /// The one strict JSON parser (`JSONValue.parse`), which reads manifests, profiles, rule sets and events.
    case json
    /// Rule sets (`RuleSet`), evaluated on facts taken from the same input when they load.
    case rules
    /// The worker's HTTP response parser (`HTTPResponseParser`), which reads the host's Runtime and Invoke API answers.
    case http
    /// Cached values read back from a shared Redis (`CacheValueEncoding.decode`), in every encoding.
    case cache
    /// The `Fnhost-Cache` header a worker sends the host (`CacheAnnotation(parsing:)`).
    case annotation
    /// State machine definitions in the Amazon States Language (`StateMachineDefinition.parse`).
    case asl
    /// JSONPath expressions and intrinsic calls, evaluated on a document (`JSONPath`, `IntrinsicCall`); the first
    /// NUL splits the expression from the document.
    case jsonpath
    /// The `Fnhost-Simulated` header the host sends a caller (`SimulatedTime(parsing:)`).
    case simulated
    /// The request log's file, written by request-log workers (`RequestLogRecord.readFile`).
    case requestlog
    /// The eligibility orchestrator's answer, as a caller or its log reader gets it (`EligibilitySummary`).
    case eligibility
    /// SAM templates (`SAMTemplate.parse`): YAML, short-form tags, intrinsics, Globals, events.
    case template
    /// The C runtime's parser of the host's `next` header lines, and its JSON string writer (`LambdaRuntimeC`).
    case cruntime
    /// Step Functions API requests (`StepFunctionsRequest.decode`): the first line is the `X-Amz-Target` header, the
    /// rest the body.
    case stepfunctions
    /// SQS requests in AWS JSON 1.0 (`SQSRequest`); the first NUL splits the `X-Amz-Target` value from the body.
    case sqs
    /// The trace headers a caller or a worker sends: `X-Amzn-Trace-Id` (`TraceHeader`) and W3C `traceparent`
    /// (`TraceParent`); the first line is tried as both.
    case traceheader
    /// The `Fnhost-Spans` header a worker sends the host (`FunctionSpans(parsing:)`).
    case spans
    /// Kinesis requests in AWS JSON 1.1 (`KinesisRequest`); the first NUL splits the `X-Amz-Target` value from the
    /// body.
    case kinesis

    /// Runs one input through the target; traps only on a bug.
    public func run(_ input: [UInt8]) {
        switch self {
        case .manifest: Self.manifest(input)
        case .profile: Self.profile(input)
        case .gateway: GatewayFuzzEntry.run(input)
        case .json: Self.json(input)
        case .rules: Self.rules(input)
        case .http: HTTPResponseParser.fuzz(input)
        case .cache: Self.cache(input)
        case .annotation: Self.annotation(input)
        case .asl: StatesFuzzEntry.definition(input)
        case .jsonpath: StatesFuzzEntry.path(input)
        case .simulated: Self.simulated(input)
        case .requestlog: Self.requestLog(input)
        case .eligibility: Self.eligibility(input)
        case .template: Self.template(input)
        case .cruntime: Self.cRuntime(input)
        case .stepfunctions: StepFunctionsFuzzEntry.request(input)
        case .sqs: SQSFuzzEntry.request(input)
        case .traceheader: Self.traceHeader(input)
        case .spans: Self.spans(input)
        case .kinesis: KinesisFuzzEntry.request(input)
        }
    }

    static func manifest(_ input: [UInt8]) {
        do {
            let m = try ManifestLoader.parse(input, file: "fuzz/function.json", directory: "fuzz")
            precondition(!m.name.isEmpty && !m.command.isEmpty, "a loaded manifest has a name and a command")
            precondition(InvokeAPI.isValidFunctionName(m.name), "a loaded manifest's name follows Lambda's rule")
            for source in m.eventSources {
                // A declaration that loads passes the API's own rules, and its settings survive the store.
                precondition(
                    (try? source.settings.validate(
                        kind: source.kind, fifo: source.source.hasSuffix(".fifo"), given: source.given)) != nil,
                    "a loaded event source declaration passes the API's rules")
                precondition(
                    MappingSettings.fromStored(source.settings.stored(kind: source.kind), kind: source.kind)
                        == source.settings, "a declaration's settings read back from the store unchanged")
            }
        } catch {
            _ = error.description
        }
    }

    static func template(_ input: [UInt8]) {
        do {
            let app = try SAMTemplate.parse(
                String(decoding: input, as: UTF8.self), file: "fuzz.yaml", directory: "/fuzz")
            precondition(!app.functions.isEmpty, "a loaded template has a function")
            for f in app.functions {
                precondition(InvokeAPI.isValidFunctionName(f.name), "a loaded function's name follows Lambda's rule")
                precondition(
                    (128...10_240).contains(f.memorySize) && (1...900).contains(f.timeout), "within Lambda's limits")
                precondition(
                    f.provisionedConcurrency <= (f.reservedConcurrency ?? 1_000), "provisioned within reserved")
            }
            for machine in app.stateMachines {
                precondition(["STANDARD", "EXPRESS"].contains(machine.type), "a state machine is STANDARD or EXPRESS")
                precondition(
                    (try? JSONValue.parse(machine.definition)) != nil, "substitutions leave the definition JSON")
            }
            for queue in app.queues { precondition(!queue.name.isEmpty, "a queue has a name") }
            _ = app.warning
        } catch {
            _ = error.description
        }
    }

    static func cRuntime(_ input: [UInt8]) {
        var headers = lambda_next_headers()
        for line in input.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            let bytes = Array(line) + [UInt8(ascii: "\n")]
            let used = bytes.withUnsafeBufferPointer { raw in
                raw.withMemoryRebound(to: CChar.self) { lambda_parse_header_line($0.baseAddress, $0.count, &headers) }
            }
            precondition(used == 0 || used == -1, "the header parser answers 0 or -1")
        }
        if headers.has_request_id != 0 {
            let id = withUnsafeBytes(of: headers.request_id) { Array($0.prefix { $0 != 0 }) }
            precondition(!id.isEmpty && id.allSatisfy { $0 >= 0x20 && $0 != 0x7f }, "a kept request id is printable")
        }
        precondition(headers.deadline_ms >= 0, "a kept deadline is not negative")
        // What the C runtime quotes, the one JSON parser reads back as the same bytes (when they are UTF-8 text).
        guard
            let quoted = input.withUnsafeBufferPointer({ raw in
                raw.withMemoryRebound(to: CChar.self) { lambda_json_quote($0.baseAddress, $0.count) }
            })
        else { return }
        defer { free(quoted) }
        let text = String(cString: quoted)
        if let original = String(validating: input, as: UTF8.self), !input.contains(0) {
            precondition(try! JSONValue.parse(Array(text.utf8)) == .string(original), "quoting round-trips")
        }
    }

    static func profile(_ input: [UInt8]) {
        do {
            let p = try ProfileLoader().parse(Data(input), file: "fuzz.json")
            for component in OverheadComponent.allCases {
                var g = SeededGenerator(seed: 1)
                let v = p.distribution(component).sample(using: &g)
                precondition(v >= 0 && v.isFinite, "a profile's samples are finite and never negative")
            }
        } catch {
            _ = error.description
        }
    }

    static func json(_ input: [UInt8]) {
        let strict: JSONValue
        do {
            strict = try JSONValue.parse(input)
        } catch {
            precondition(error.line >= 1 && error.column >= 1, "a syntax error points at a real line and column")
            return
        }
        // What the strict parser accepts, the host's non-recursive validator accepts too, and writing it out and
        // parsing it again gives the same value.
        precondition(
            JSONScanner(input).validationError(maxDepth: InvokeAPI.maxEventNesting) == nil,
            "the strict parser and the scanner agree on valid JSON")
        let again = try? JSONValue.parse(strict.serialized)
        precondition(again == strict, "serialized JSON parses back to the same value")
    }

    static func rules(_ input: [UInt8]) {
        // The first NUL splits the rule set from the facts it is evaluated on.
        let parts = input.split(separator: 0, maxSplits: 1, omittingEmptySubsequences: false)
        let ruleSet: RuleSet
        do {
            ruleSet = try RuleSet(jsonBytes: Array(parts[0]), source: "fuzz.json")
        } catch {
            _ = error.description
            return
        }
        guard parts.count > 1, case .object(let facts)? = try? JSONValue.parse(Array(parts[1])) else { return }
        do {
            let decision = try ruleSet.evaluate(facts: facts, on: CalendarDate(iso: "2026-03-01")!)
            precondition(decision.rulesetVersion == ruleSet.version, "a decision names its rule set's version")
        } catch {
            _ = error.description
        }
    }

    /// A value of the shape org-status caches (strings, integers, a boolean, a double, an optional, a list).
    struct CachedRecord: Codable, Equatable {
        var orgId: String
        var memberCount: Int
        var taxIdVerified: Bool
        var outstandingBalance: Double
        var lastAuditDate: String?
        var regions: [String]
    }

    static func cache(_ input: [UInt8]) {
        for encoding in CacheValueEncoding.allCases {
            guard let value = try? encoding.decode(CachedRecord.self, from: input) else { continue }
            // Whatever decodes writes back and decodes to the same value (NaN aside, which is never equal to itself).
            guard value.outstandingBalance == value.outstandingBalance else { continue }
            let again = (try? encoding.encode(value)).flatMap { try? encoding.decode(CachedRecord.self, from: $0) }
            precondition(again == value, "a decoded cache value survives encoding and decoding again")
        }
    }

    static func annotation(_ input: [UInt8]) {
        guard let annotation = try? CacheAnnotation(parsing: String(decoding: input, as: UTF8.self)) else { return }
        precondition(
            (try? CacheAnnotation(parsing: annotation.headerValue)) == annotation,
            "what the parser accepts, the writer writes back to the same annotation")
    }

    static func traceHeader(_ input: [UInt8]) {
        let text = String(decoding: input, as: UTF8.self)
        if let header = try? TraceHeader(parsing: text) {
            precondition(
                (try? TraceHeader(parsing: header.value)) == header,
                "what the parser accepts, the writer writes back to the same header")
            precondition(TraceID(parsing: header.root.w3c) == header.root, "a root reads back in W3C form")
        }
        if let parent = try? TraceParent(parsing: text) {
            precondition(parent.value.utf8.count == 55, "the writer writes version 00")
            let again = try? TraceParent(parsing: parent.value)
            precondition(
                again?.traceID == parent.traceID && again?.parent == parent.parent && again?.flags == parent.flags,
                "what the parser accepts, the writer writes back to the same ids and flags")
        }
    }

    static func spans(_ input: [UInt8]) {
        let text = String(decoding: input, as: UTF8.self)
        guard let spans = try? FunctionSpans(parsing: text) else { return }
        precondition(spans.entries.count <= FunctionSpans.maxEntries, "at most maxEntries spans")
        precondition(
            spans.entries.allSatisfy {
                $0.startMs >= 0 && $0.startMs <= FunctionSpans.maxMilliseconds && $0.durationMs >= 0
                    && $0.durationMs <= FunctionSpans.maxMilliseconds && !$0.name.isEmpty
                    && $0.name.utf8.count <= FunctionSpans.maxNameBytes
            }, "times from 0 to maxMilliseconds, names 1–100 bytes")
        for (index, entry) in spans.entries.enumerated() {
            precondition(entry.parent.map { $0 >= 0 && $0 < index } ?? true, "a parent is an earlier entry")
            precondition((entry.error?.utf8.count ?? 0) <= FunctionSpans.maxErrorBytes, "messages bounded")
            precondition(entry.attributes.count <= FunctionSpans.maxAttributes, "attributes per span bounded")
            precondition(
                entry.attributes.allSatisfy {
                    !$0.key.isEmpty && $0.key.utf8.count <= FunctionSpans.maxKeyBytes
                        && $0.value.utf8.count <= FunctionSpans.maxValueBytes
                }, "keys 1–64 bytes, values ≤ 128")
        }
        let written = spans.headerValue
        precondition(written.utf8.count <= FunctionSpans.maxHeaderBytes, "the writer keeps to maxHeaderBytes")
        let kept = spans.writtenCount
        // The writer adds at most ~50 bytes an entry to what it read (a number written at length, `1` as `1.0` or
        // `0x1p-20` as `9.5367431640625e-07`; a space after each comma): under 4 KB for 64 entries, so a value up
        // to half the limit is written whole.
        precondition(text.utf8.count * 2 > FunctionSpans.maxHeaderBytes || kept == spans.entries.count, "written whole")
        precondition(
            (try? FunctionSpans(parsing: written))?.entries == Array(spans.entries.prefix(kept)),
            "what the parser accepts, the writer writes back to the same spans (those that fit)")
    }

    static func simulated(_ input: [UInt8]) {
        guard let time = try? SimulatedTime(parsing: String(decoding: input, as: UTF8.self)) else { return }
        precondition(time.simulatedMs >= 0 && time.sleptMs >= 0 && time.simulatedMs.isFinite, "times are finite, ≥ 0")
        precondition(
            (try? SimulatedTime(parsing: time.headerValue)) == time,
            "what the parser accepts, the writer writes back to the same value")
    }

    static func requestLog(_ input: [UInt8]) {
        let contents = RequestLogRecord.readFile(input)
        var previous = -1
        for entry in contents.entries {
            precondition(entry.offset > previous && entry.offset < input.count, "entries come in file order")
            previous = entry.offset
            let line = entry.record.line
            precondition(line.last == UInt8(ascii: "\n"), "a written line ends in a newline")
            precondition(
                (try? RequestLogRecord(parsing: line.dropLast())) == entry.record,
                "an entry the reader accepts, the writer writes back to the same entry")
        }
        precondition(
            contents.entries.count + contents.unreadable.count <= input.count(where: { $0 == UInt8(ascii: "\n") }),
            "every entry or unreadable line ends in a newline")
    }

    static func eligibility(_ input: [UInt8]) {
        guard let summary = try? EligibilitySummary(parsing: input) else {
            _ = EligibilitySummary(logLine: EligibilitySummary.logPrefix + String(decoding: input, as: UTF8.self))
            return
        }
        precondition(summary.branches[summary.slowestBranch] != nil, "the slowest branch is one of the branches")
        precondition(summary.durationOnLambdaMs >= 0 && summary.handlerMs >= 0, "durations are ≥ 0")
    }
}
