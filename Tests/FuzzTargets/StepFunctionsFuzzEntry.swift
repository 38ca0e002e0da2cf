import FnhostStepFunctions
import FnhostWire

/// The Step Functions API's request decoder under the fuzzer: a request is either refused with an AWS error code and
/// a JSON error body, or decoded into an operation whose members every accessor reads without trapping.
enum StepFunctionsFuzzEntry {
    static func request(_ input: [UInt8]) {
        let newline = input.firstIndex(of: 0x0A) ?? input.endIndex
        let target = String(decoding: input[..<newline], as: UTF8.self)
        let body = newline < input.endIndex ? Array(input[(newline + 1)...]) : []
        do {
            let request = try StepFunctionsRequest.decode(target: target, body: body)
            precondition(target == StepFunctionsRequest.targetPrefix + request.operation.rawValue)
            for field in request.members.keys {
                _ = try? request.string(field)
                _ = try? request.integer(field)
                _ = try? request.boolean(field)
                if let arn = try? request.string(field) {
                    if let name = StepFunctionsARN.stateMachineName(arn) { precondition(!name.isEmpty) }
                    _ = StepFunctionsARN.isExecution(arn)
                    _ = StepFunctionsARN.isValidName(arn)
                }
            }
            if let n = try? request.maxResults(default: 100) { precondition((1...1000).contains(n)) }
        } catch {
            precondition(!error.code.isEmpty && error.status >= 400, "a refusal has a code and an error status")
            guard case .object(let o) = try? JSONValue.parse(error.body), o["__type"] != nil, o["message"] != nil else {
                preconditionFailure("an error body is AWS JSON 1.0's {__type, message}")
            }
        }
    }
}
