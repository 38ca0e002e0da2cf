import FnhostWire
import Foundation
import Testing
import WorkerCache

@testable import LambdaRuntime
@testable import ReferenceData

/// A record as org-status and coverage keep them, with a parser in the same style.
private struct Item: Codable, Sendable, Equatable {
    let id: String
    let name: String
    let count: Int

    static let columns = ["id", "name", "count"]
    static let format = IdentifierFormat(prefix: "IT-", digits: 3)

    static func index(_ table: CSVTable) throws(ReferenceDataError) -> [String: Item] {
        var byID: [String: Item] = [:]
        for row in table.rows {
            let r = table.reader(row)
            let item = Item(
                id: try r.text("id", expected: "an id like \(format.example)") { format.matches($0) },
                name: try r.text("name"), count: try r.integer("count"))
            guard byID.updateValue(item, forKey: item.id) == nil else {
                throw ReferenceDataError(file: table.path, line: row.line, problem: "duplicate id \(item.id)")
            }
        }
        return byID
    }
}

private func initContext(_ dir: TemporaryDirectory, _ env: [String: String] = [:]) -> InitContext {
    InitContext(
        functionName: "items", functionVersion: "$LATEST", memoryLimitMB: 128, initializationType: "on-demand",
        taskRoot: dir.path,
        // No real sleep for the store's simulated latency, no Redis: the worker tier in front of the store.
        environment: ["FNHOST_TIME_SCALE": "0", "FNHOST_REFERENCE_STORE_LATENCY": "constant:5"].merging(env) { $1 }
    )
}

private func invocationContext(_ annotations: InvocationAnnotations) -> LambdaContext {
    LambdaContext(
        requestID: "r", deadlineMs: Int64.max, invokedFunctionARN: "", traceID: "", functionName: "items",
        functionVersion: "$LATEST", memoryLimitMB: 128, logGroupName: "", logStreamName: "",
        invoker: FunctionInvoker(endpoint: nil), annotations: annotations
    )
}

/// The `Fnhost-Cache` annotation the lookup left for the host, parsed by the host's own parser.
private func annotation(_ annotations: InvocationAnnotations) throws -> CacheAnnotation {
    let header = try #require(annotations.take().first { $0.0 == CacheAnnotation.headerName })
    return try CacheAnnotation(parsing: header.1)
}

@Suite("Reference data behind the worker cache, loaded from a real CSV file")
struct CachedReferenceDataTests {
    @Test("the first lookup misses and pays the store; the second is a worker hit; both are annotated for the host")
    func missThenHit() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("data/items.csv", "id,name,count\nIT-001,Bolt,4\nIT-002,Nut,9\n")
        let data = try ReferenceDataSetup.load(
            name: "items", file: "data/items.csv", columns: Item.columns, context: initContext(dir), parse: Item.index)
        let annotations = InvocationAnnotations()
        let context = invocationContext(annotations)

        let first = try await data.find("IT-002", context: context)
        #expect(first.record == Item(id: "IT-002", name: "Nut", count: 9))
        #expect(first.cache.outcome == .miss)
        let missed = try annotation(annotations)
        #expect(missed.outcome == .miss)
        #expect(missed == first.cache.annotation)

        let second = try await data.find("IT-002", context: context)
        #expect(second.record == first.record)
        #expect(second.cache.outcome == .workerHit)
        #expect(second.cache.storeMs == 0)
        #expect(try annotation(annotations).outcome == .workerHit)
    }

    @Test("an unknown key is nil, a miss, and is not cached")
    func unknownKey() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("data/items.csv", "id,name,count\nIT-001,Bolt,4\n")
        let data = try ReferenceDataSetup.load(
            name: "items", file: "data/items.csv", columns: Item.columns, context: initContext(dir), parse: Item.index)
        let annotations = InvocationAnnotations()
        for _ in 0..<2 {
            let found = try await data.find("IT-999", context: invocationContext(annotations))
            #expect(found.record == nil)
            #expect(found.cache.outcome == .miss)
            #expect(try annotation(annotations).outcome == .miss)
        }
        #expect(data.store.count == 1)
    }

    @Test(
        "a bad file fails Init as ReferenceDataError with the file and line",
        arguments: [
            ("id,name,count\nIT-001,Bolt,4\nIT-001,Again,5\n", ":3: duplicate id IT-001"),
            ("id,name,count\nIT-1,Bolt,4\n", ":2: column id: \"IT-1\" is not an id like IT-042"),
            ("id,name\nIT-001,Bolt\n", ":1: header is \"id,name\", expected \"id,name,count\""),
        ]
    )
    func badFile(text: String, problem: String) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = try dir.write("data/items.csv", text)
        do {
            _ = try ReferenceDataSetup.load(
                name: "items", file: "data/items.csv", columns: Item.columns, context: initContext(dir),
                parse: Item.index)
            Issue.record("loaded a bad file")
        } catch {
            #expect(error.type == "ReferenceDataError")
            #expect(error.message == path + problem)
        }
    }

    @Test("a missing file and a bad latency setting fail Init with their own types")
    func initFailures() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        #expect(throws: HandlerError.self) {
            _ = try ReferenceDataSetup.load(
                name: "items", file: "data/none.csv", columns: Item.columns, context: initContext(dir),
                parse: Item.index)
        }
        try dir.write("data/items.csv", "id,name,count\nIT-001,Bolt,4\n")
        do {
            _ = try ReferenceDataSetup.load(
                name: "items", file: "data/items.csv", columns: Item.columns,
                context: initContext(dir, ["FNHOST_REFERENCE_STORE_LATENCY": "nonsense"]), parse: Item.index)
            Issue.record("accepted a bad latency spec")
        } catch {
            #expect(error.type == "InvalidConfiguration")
        }
    }

    @Test("the store answers after its simulated delay and reports both the simulated and the measured time")
    func storeLookup() async throws {
        let latency = try StoreLatency.fromEnvironment(
            ["FNHOST_REFERENCE_STORE_LATENCY": "constant:20", "FNHOST_TIME_SCALE": "0.1"], function: "items")
        let store = ReferenceStore(name: "items", records: ["a": 1], latency: latency)
        let found = try await store.lookup("a")
        #expect(found.record == 1)
        #expect(found.simulatedMs == 20)
        #expect(found.measuredMs >= 2)
        #expect(try await store.lookup("b").record == nil)
    }
}

@Suite("Answer parts: CacheReport and WorkerIdentity")
struct AnswerPartsTests {
    @Test("CacheReport rounds to the microsecond, clamps negatives, and annotates with the same figures")
    func cacheReport() {
        let report = CacheReport(outcome: .sharedHit, workerMs: 0.0123456, sharedMs: -1, storeMs: 2.0004)
        #expect(report.workerMs == 0.012)
        #expect(report.sharedMs == 0)
        #expect(report.storeMs == 2.0)
        #expect(report.annotation == CacheAnnotation(outcome: .sharedHit, workerMs: 0.012, sharedMs: 0, storeMs: 2.0))
    }

    @Test("CacheReport's outcome maps to the annotation's for every tier")
    func outcomesMap() {
        for outcome in [CacheOutcome.workerHit, .sharedHit, .miss] {
            #expect(
                CacheReport(outcome: outcome, workerMs: 0, sharedMs: 0, storeMs: 0).annotation.outcome.rawValue
                    == outcome.rawValue)
        }
    }

    @Test("WorkerIdentity takes FNHOST_WORKER_ID (local when unset or empty) and counts invocations")
    func workerIdentity() {
        let worker = WorkerIdentity(environment: ["FNHOST_WORKER_ID": "items-3"])
        #expect(worker.id == "items-3")
        #expect(worker.beginInvocation().invocations == 1)
        let second = worker.beginInvocation()
        #expect(second.invocations == 2)
        #expect(second.id == "items-3")
        #expect(second.pid == getpid())
        #expect(WorkerIdentity(environment: [:]).id == "local")
        #expect(WorkerIdentity(environment: ["FNHOST_WORKER_ID": ""]).id == "local")
    }
}
