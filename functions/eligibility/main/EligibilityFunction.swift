import FnhostWire
import LambdaRuntime

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The `eligibility` function, seed 000's orchestrator: is this member of this organisation eligible on this date?
///
/// It validates the request first (a bad field is a function error and no branch is called), then calls, at once
/// and through the host as real hops, org-status (which calls rules), coverage and request-log (the seed's Kafka
/// publisher), and combines them. The slowest branch sets the time; org-status, with its two hops in a row, is
/// usually that branch. A failing branch fails the request with an error that names it (`BranchFailed`).
///
/// In combine mode (an event with `"combine": [orgStatus, coverage, requestLog]` beside the request's fields, the last
/// state of `statemachines/eligibility.asl.json`) it calls nothing and combines the three results it is given.
@main
struct EligibilityFunction: LambdaHandler {
    let transport: BranchTransport

    init(context: InitContext) async throws {
        transport = try BranchTransport(environment: context.environment)
        context.log("eligibility: branches reached by \(transport.name)")
    }

    func handle(_ event: JSONValue, context: LambdaContext) async throws -> EligibilityResponse {
        let request: EligibilityRequest
        do {
            request = try EligibilityRequest(event: event)
        } catch {
            guard EligibilityRequest.isGatewayEvent(event) else { throw error }
            return .http(status: 400, errorType: error.type, message: error.message)
        }
        do {
            let answer =
                if let results = try CombineEvent.results(event) {
                    try Self.combine(request, results, context: context)
                } else {
                    try await check(request, context: context)
                }
            // The answer in the log too: how a caller that invoked asynchronously reads the decision later.
            context.log(
                EligibilitySummary.logPrefix + String(decoding: try JSONEncoder().encode(answer), as: UTF8.self))
            return .answer(answer)
        } catch let error as HandlerError where request.viaGateway {
            return .http(status: 502, errorType: error.type, message: error.message)
        }
    }

    private func check(_ request: EligibilityRequest, context: LambdaContext) async throws -> EligibilityAnswer {
        let clock = ContinuousClock()
        let started = clock.now
        let date = request.date.description
        let entry = [
            RequestLogRecord.Field.requestID: context.requestID, RequestLogRecord.Field.orgID: request.orgID,
            RequestLogRecord.Field.memberID: request.memberID, RequestLogRecord.Field.date: date,
        ]
        // The three branches at once; each waits on a thread of its own (LambdaContext.invoke), so they overlap.
        async let organisationCall = Self.branch {
            try await transport.orgStatus(request.orgID, date: date, context: context)
        }
        async let coverageCall = Self.branch {
            try await transport.coverage(request.memberID, date: date, context: context)
        }
        async let logCall = Self.branch { try await transport.requestLog(entry, context: context) }
        let (organisationResult, coverageResult, logResult) = await (organisationCall, coverageCall, logCall)
        let (organisation, organisationTiming) = try Self.unwrap(organisationResult, branch: "org-status")
        let (coverage, coverageTiming) = try Self.unwrap(coverageResult, branch: "coverage")
        let (logged, logTiming) = try Self.unwrap(logResult, branch: "request-log")

        return EligibilityAnswer.combining(
            request, requestID: context.requestID, transport: transport.name, organisation: organisation,
            coverage: coverage, logged: logged,
            timings: ["org-status": organisationTiming, "coverage": coverageTiming, "request-log": logTiming],
            handlerMs: (clock.now - started).inMilliseconds)
    }

    /// Combine mode: the three results a state machine's Parallel gathered, combined as ``check`` combines its own.
    private static func combine(
        _ request: EligibilityRequest, _ results: CombineEvent, context: LambdaContext
    ) throws(HandlerError) -> EligibilityAnswer {
        let clock = ContinuousClock()
        let started = clock.now
        let organisation = try results.decode(0, "org-status", as: OrgStatusBranch.self)
        let coverage = try results.decode(1, "coverage", as: CoverageBranch.self)
        let logged = try results.decode(2, "request-log", as: RequestLogBranch.self)
        return EligibilityAnswer.combining(
            request, requestID: context.requestID, transport: CombineEvent.transport, organisation: organisation,
            coverage: coverage, logged: logged, timings: nil, handlerMs: (clock.now - started).inMilliseconds)
    }

    private static func branch<T: Sendable>(
        _ call: @Sendable () async throws -> (T, CallTiming)
    ) async -> Result<(T, CallTiming), any Error> {
        do { return .success(try await call()) } catch { return .failure(error) }
    }

    private static func unwrap<T>(_ result: Result<(T, CallTiming), any Error>, branch: String) throws(HandlerError)
        -> (
            T, CallTiming
        )
    {
        switch result {
        case .success(let value): return value
        case .failure(let error):
            let detail: String =
                switch error {
                case InvokeError.functionError(let type, let message): "\(type): \(message)"
                default: "\(error)"
                }
            throw HandlerError(type: "BranchFailed", message: "\(branch) failed: \(detail)")
        }
    }
}
