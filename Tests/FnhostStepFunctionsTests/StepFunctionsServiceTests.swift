import FnhostStates
import FnhostStepFunctions
import FnhostWire
import Foundation
import Synchronization
import TestSupport
import Testing

/// A function that answers `{"echo": event}` at once, or fails with `Boom` when the event has `"fail": true`.
struct ScriptedInvoker: TaskInvoker {
    func invoke(_ invocation: TaskInvocation) async -> TaskInvocationResult {
        if case .object(let o) = invocation.payload, o["fail"] == .bool(true) {
            return .functionError(payload: .object(["errorType": .string("Boom"), "errorMessage": .string("no")]))
        }
        return .succeeded(payload: .object(["echo": invocation.payload]))
    }
}

/// Counts the transitions it is asked to pace.
final class CountingPacer: TransitionPacer {
    let entered = Mutex<[String]>([])
    func transition(into stateName: String, execution: ExecutionIdentity) async throws {
        entered.withLock { $0.append(stateName) }
    }
}

@Suite struct StepFunctionsServiceTests {
    static let machineArn = "arn:aws:states:us-east-1:000000000000:stateMachine:m"
    static let twoStates =
        #"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"f","Next":"P"},"P":{"Type":"Pass","End":true}}}"#

    func call(_ service: StepFunctionsService, _ op: String, _ members: [String: JSONValue]) async -> (Int, JSONValue) {
        let answer = await service.handle(
            target: "AWSStepFunctions." + op, body: JSONValue.object(members).serialized)
        return (answer.status, (try? JSONValue.parse(answer.body)) ?? .null)
    }

    func service(pacer: (any TransitionPacer)? = nil) -> StepFunctionsService {
        StepFunctionsService(environment: .init(invoker: ScriptedInvoker(), pacer: pacer, realSecondsPerSecond: 0.001))
    }

    func create(_ service: StepFunctionsService, type: String = "STANDARD", definition: String = twoStates) async
        -> (Int, JSONValue)
    {
        await call(
            service, "CreateStateMachine",
            [
                "name": "m", "definition": .string(definition), "roleArn": "arn:aws:iam::000000000000:role/r",
                "type": .string(type),
            ])
    }

    func waitForEnd(_ service: StepFunctionsService, _ arn: String) async throws -> [String: JSONValue] {
        for _ in 0..<500 {
            let (_, d) = await call(service, "DescribeExecution", ["executionArn": .string(arn)])
            guard case .object(let o) = d else { throw TestFailure("not an object: \(d)") }
            if o["status"] != "RUNNING" { return o }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw TestFailure("\(arn) still running")
    }

    @Test func anErrorIsAWSJSON10sTypeAndMessage() throws {
        let error = StepFunctionsError.stateMachineDoesNotExist("arn:x")
        #expect(error.status == 400)
        let body = try JSONValue.parse(error.body)
        #expect(
            body
                == .object([
                    "__type": "com.amazonaws.swf.service.v2.model#StateMachineDoesNotExist",
                    "message": "State Machine Does Not Exist: 'arn:x'",
                ]))
    }

    @Test func requestsAreDecodedOrRefusedWithAWSCodes() {
        #expect(
            throws: StepFunctionsError(
                "UnknownOperationException", "fnhost does not implement the Step Functions operation TagResource")
        ) {
            try StepFunctionsRequest.decode(target: "AWSStepFunctions.TagResource", body: Array("{}".utf8))
        }
        #expect(
            (try? StepFunctionsRequest.decode(target: "AWSStepFunctions.ListStateMachines", body: []))?.members == [:])
        let notObject = #expect(throws: StepFunctionsError.self) {
            try StepFunctionsRequest.decode(target: "AWSStepFunctions.ListStateMachines", body: Array("[1]".utf8))
        }
        #expect(notObject?.code == "SerializationException")
        let request = StepFunctionsRequest(operation: .listExecutions, members: ["maxResults": 5000, "name": 3])
        #expect(
            (#expect(throws: StepFunctionsError.self) { try request.maxResults(default: 100) })?.code
                == "ValidationException")
        #expect(
            (#expect(throws: StepFunctionsError.self) { try request.string("name") })?.code == "SerializationException")
        #expect(
            (#expect(throws: StepFunctionsError.self) { try request.requiredString("stateMachineArn") })?.message
                .contains("'stateMachineArn'") == true)
    }

    @Test func anExecutionRunsToItsEndAndItsHistoryPagesForwardAndBackward() async throws {
        let pacer = CountingPacer()
        let service = service(pacer: pacer)
        #expect(await create(service).0 == 200)
        let (status, started) = await call(
            service, "StartExecution",
            ["stateMachineArn": .string(Self.machineArn), "name": "e1", "input": #"{"a":1}"#])
        #expect(status == 200)
        #expect(started.objectField("executionArn") == "arn:aws:states:us-east-1:000000000000:execution:m:e1")
        let end = try await waitForEnd(service, "arn:aws:states:us-east-1:000000000000:execution:m:e1")
        #expect(end["status"] == "SUCCEEDED")
        #expect(end["output"] == #"{"echo":{"a":1}}"#)
        #expect(pacer.entered.withLock { $0 } == ["T", "P"])

        var ids: [Int] = []
        var token: JSONValue? = nil
        var pages = 0
        repeat {
            var members: [String: JSONValue] = [
                "executionArn": "arn:aws:states:us-east-1:000000000000:execution:m:e1", "maxResults": 3,
            ]
            if let token { members["nextToken"] = token }
            let (s, page) = await call(service, "GetExecutionHistory", members)
            #expect(s == 200)
            guard case .array(let events)? = page.objectField("events") else { throw TestFailure("\(page)") }
            ids += events.compactMap { if case .number(let n)? = $0.objectField("id") { Int(n) } else { nil } }
            token = page.objectField("nextToken")
            pages += 1
        } while token != nil
        #expect(ids == Array(1...9))
        #expect(pages == 3)
        let (_, reversed) = await call(
            service, "GetExecutionHistory",
            [
                "executionArn": "arn:aws:states:us-east-1:000000000000:execution:m:e1", "reverseOrder": true,
                "maxResults": 1,
            ])
        guard case .array(let last)? = reversed.objectField("events") else { throw TestFailure("\(reversed)") }
        #expect(last.first?.objectField("type") == "ExecutionSucceeded")
        let (badStatus, bad) = await call(
            service, "GetExecutionHistory",
            ["executionArn": "arn:aws:states:us-east-1:000000000000:execution:m:e1", "nextToken": "forged"])
        #expect(badStatus == 400)
        #expect(bad.objectField("__type") == "com.amazonaws.swf.service.v2.model#InvalidToken")
    }

    @Test func unknownAndMalformedNamesGetAWSErrors() async {
        let service = service()
        let (s1, e1) = await call(service, "DescribeStateMachine", ["stateMachineArn": .string(Self.machineArn)])
        #expect(s1 == 400 && e1.objectField("__type") == "com.amazonaws.swf.service.v2.model#StateMachineDoesNotExist")
        let (_, e2) = await call(service, "DescribeExecution", ["executionArn": "nope"])
        #expect(e2.objectField("__type") == "com.amazonaws.swf.service.v2.model#InvalidArn")
        let (_, e3) = await create(service, definition: #"{"StartAt":"A","States":{}}"#)
        #expect(e3.objectField("__type") == "com.amazonaws.swf.service.v2.model#InvalidDefinition")
        #expect(await create(service).0 == 200)
        let (_, e4) = await create(service, type: "EXPRESS")
        #expect(e4.objectField("__type") == "com.amazonaws.swf.service.v2.model#StateMachineAlreadyExists")
        let (_, e5) = await call(
            service, "StartExecution", ["stateMachineArn": .string(Self.machineArn), "name": "a b"])
        #expect(e5.objectField("__type") == "com.amazonaws.swf.service.v2.model#InvalidName")
        let (_, e6) = await call(
            service, "StartExecution", ["stateMachineArn": .string(Self.machineArn), "input": "{"])
        #expect(e6.objectField("__type") == "com.amazonaws.swf.service.v2.model#InvalidExecutionInput")
        let (_, e7) = await call(service, "StartSyncExecution", ["stateMachineArn": .string(Self.machineArn)])
        #expect(e7.objectField("__type") == "com.amazonaws.swf.service.v2.model#StateMachineTypeNotSupported")
    }

    @Test func aSyncExecutionOfAnExpressMachineAnswersWithItsOutcome() async {
        let service = service()
        #expect(await create(service, type: "EXPRESS").0 == 200)
        let (s, answer) = await call(
            service, "StartSyncExecution", ["stateMachineArn": .string(Self.machineArn), "input": #"{"fail":true}"#])
        #expect(s == 200)
        #expect(answer.objectField("status") == "FAILED")
        #expect(answer.objectField("error") == "Boom")
        guard case .string(let arn)? = answer.objectField("executionArn") else { return #expect(Bool(false)) }
        #expect(arn.hasPrefix("arn:aws:states:us-east-1:000000000000:express:m:"))
    }

    @Test func stoppingALongWaitAbortsIt() async throws {
        let service = service()
        #expect(
            await create(
                service, definition: #"{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":999999,"End":true}}}"#
            ).0 == 200)
        _ = await call(service, "StartExecution", ["stateMachineArn": .string(Self.machineArn), "name": "w"])
        let arn = "arn:aws:states:us-east-1:000000000000:execution:m:w"
        let (s, stopped) = await call(service, "StopExecution", ["executionArn": .string(arn)])
        #expect(s == 200 && stopped.objectField("stopDate") != nil)
        #expect(try await waitForEnd(service, arn)["status"] == "ABORTED")
        let (_, running) = await call(
            service, "ListExecutions", ["stateMachineArn": .string(Self.machineArn), "statusFilter": "ABORTED"])
        guard case .array(let items)? = running.objectField("executions") else { throw TestFailure("\(running)") }
        #expect(items.count == 1)
    }
}

@Suite struct StepFunctionsUsageTests {
    @Test func standardBillsTransitionsAndExpressBillsRequestsAndRoundedDuration() {
        let usage = StepFunctionsUsage()
        usage.recordStandard(transitions: 4)
        #expect(usage.recordExpress(durationMs: 101) == 200)
        #expect(usage.recordExpress(durationMs: 0) == 100)
        let totals = usage.totals
        #expect(totals.standardTransitions == 4 && totals.expressRequests == 2)
        // 4 × $25/M + 2 × $1/M + (64/1024 GB × 0.3 s) × $0.06/3600
        let expected = 4 * 25e-6 + 2 * 1e-6 + 0.0625 * 0.3 * 0.06 / 3600
        #expect(abs(totals.estimatedCostUSD - expected) < 1e-15)
    }
}

@Suite struct StateMachineFileTests {
    @Test func aBadDefinitionFileIsRefusedWithTheFileTheStateTheFieldAndTheReason() async throws {
        try await withTemporaryDirectory("sm") { folder in
            try #"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"Nowhere"}}}"#.write(
                toFile: folder + "/bad.asl.json", atomically: true, encoding: .utf8)
            let error = #expect(throws: StateMachineFileError.self) { try StateMachineFile.loadAll(folder: folder) }
            #expect(error?.file == folder + "/bad.asl.json")
            #expect(
                error?.reason.contains("MISSING_TRANSITION_TARGET: Missing 'Next' target: Nowhere at /States/A/Next")
                    == true, "\(String(describing: error))")
        }
    }

    @Test func settingsGiveTheTypeAndRefuseWhatTheyDoNotKnow() async throws {
        try await withTemporaryDirectory("sm") { folder in
            try #"{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}"#.write(
                toFile: folder + "/fast.asl.json", atomically: true, encoding: .utf8)
            try #"{"type":"EXPRESS"}"#.write(toFile: folder + "/fast.json", atomically: true, encoding: .utf8)
            #expect(try StateMachineFile.loadAll(folder: folder).map(\.type) == [.express])
            try #"{"typ":"EXPRESS"}"#.write(toFile: folder + "/fast.json", atomically: true, encoding: .utf8)
            let error = #expect(throws: StateMachineFileError.self) { try StateMachineFile.loadAll(folder: folder) }
            #expect(error?.reason.contains("unknown field 'typ'") == true)
            try #"{}"#.write(toFile: folder + "/orphan.json", atomically: true, encoding: .utf8)
            let orphan = #expect(throws: StateMachineFileError.self) { try StateMachineFile.loadAll(folder: folder) }
            #expect(orphan?.reason.contains("without a definition") == true)
        }
        #expect(try StateMachineFile.loadAll(folder: "/nonexistent/statemachines").isEmpty)
        #expect(StateMachineFile.folder(besideFunctions: "/srv/app/functions") == "/srv/app/statemachines")
    }
}

/// Literals for the requests and answers these tests spell out.
extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension JSONValue {
    func objectField(_ name: String) -> JSONValue? {
        if case .object(let o) = self { return o[name] }
        return nil
    }
}
