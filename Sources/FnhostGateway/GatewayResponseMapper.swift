import FnhostWire

/// Maps a function's answer to the HTTP response, by API Gateway HTTP API's rules for payload format 2.0, so that a
/// handler written for API Gateway answers the same through fnhost.
public enum GatewayResponseMapper {
    /// The response for a function's successful answer (the invocation's payload bytes).
    ///
    /// Applies `interpret(_:)`; any answer it refuses gives 502 `{"message":"Internal Server Error"}`, as API Gateway
    /// answers a malformed integration response. Use `interpret` directly to log why.
    public static func response(forAnswer answer: [UInt8]) -> GatewayHTTPResponse {
        (try? interpret(answer)) ?? .badGateway
    }

    /// The response when the function failed (a handled or unhandled function error, a timeout, a crash): 500
    /// `{"message":"Internal Server Error"}`. API Gateway never shows the caller the function's error.
    public static func responseForFunctionError() -> GatewayHTTPResponse {
        .internalServerError
    }

    /// Interprets an answer, throwing why it cannot be mapped (each of which means 502).
    ///
    /// 1. The answer must be one JSON value in UTF-8; otherwise `notJSON`.
    /// 2. A JSON object with a `statusCode` member is a response description, used as given (`describedResponse`).
    /// 3. Any other JSON value (an object without `statusCode`, an array, a string, a number, a boolean, null) is the
    ///    body: status 200, `content-type: application/json`, body = the answer's bytes exactly as sent.
    public static func interpret(_ answer: [UInt8]) throws(GatewayAnswerError) -> GatewayHTTPResponse {
        let scanner = JSONScanner(answer)
        if let reason = scanner.validationError() { throw .notJSON(reason: reason) }
        let start = scanner.skipWhitespace(from: 0)
        if let members = scanner.members(ofObjectAt: start), members.contains(where: { $0.name == "statusCode" }) {
            return try describedResponse(members, in: scanner)
        }
        return GatewayHTTPResponse(status: 200, headers: [("content-type", "application/json")], body: answer)
    }

    /// Builds the response an object with `statusCode` describes. When a member appears twice, the last one counts
    /// (as in JSON parsers generally); members other than these are ignored; a member that is `null` counts as
    /// absent (`statusCode` aside).
    ///
    /// - `statusCode`: an integer from 100 to 599 (`200.0` and `2e2` count as 200); else `invalidStatusCode`.
    /// - `headers`: an object whose values are strings; each becomes a header, in order.
    /// - `multiValueHeaders`: an object whose values are arrays of strings; each becomes one header, its values joined
    ///   with `,`. A name in both `headers` and `multiValueHeaders` (ignoring case) is sent once, with the
    ///   multi-value list plus the `headers` value when that value is not already in the list.
    /// - Header names must be HTTP tokens and values free of control characters (tab aside); else
    ///   `invalidHeaderName` / `invalidHeaderValue`, since they would corrupt or inject headers.
    /// - `cookies`: an array of strings; each becomes a `set-cookie` header, in order.
    /// - `body`: a string, sent as UTF-8; absent means an empty body.
    /// - `isBase64Encoded`: a boolean; when true `body` is standard base64 and is sent decoded; else
    ///   `invalidBase64Body`.
    /// - No `content-type` among the headers: `content-type: application/json` is added.
    static func describedResponse(
        _ members: [(name: String, value: Range<Int>)], in scanner: JSONScanner
    ) throws(GatewayAnswerError) -> GatewayHTTPResponse {
        var fields: [String: Range<Int>] = [:]
        for member in members { fields[member.name] = member.value }
        func field(_ name: String) -> Range<Int>? {
            guard let range = fields[name], scanner.kind(at: range.lowerBound) != .null else { return nil }
            return range
        }
        let status = try statusCode(fields["statusCode"], in: scanner)
        var headers = try singleValueHeaders(field("headers"), in: scanner)
        let multi = try multiValueHeaders(field("multiValueHeaders"), in: scanner)
        headers = merge(headers, multi)
        for cookie in try cookies(field("cookies"), in: scanner) {
            headers.append(("set-cookie", cookie))
        }
        let isBase64 = try boolean(field("isBase64Encoded"), field: "isBase64Encoded", in: scanner)
        let bodyText = try string(field("body"), field: "body", in: scanner) ?? ""
        let body: [UInt8]
        if isBase64 {
            guard let decoded = Base64.decode(bodyText) else { throw .invalidBase64Body }
            body = decoded
        } else {
            body = Array(bodyText.utf8)
        }
        if !headers.contains(where: { $0.name.lowercased() == "content-type" }) {
            headers.insert(("content-type", "application/json"), at: 0)
        }
        return GatewayHTTPResponse(status: status, headers: headers, body: body)
    }

    private static func statusCode(_ range: Range<Int>?, in scanner: JSONScanner) throws(GatewayAnswerError) -> Int {
        guard let range else { throw .invalidStatusCode(found: "nothing") }
        guard scanner.kind(at: range.lowerBound) == .number else {
            throw .invalidStatusCode(found: describe(range, in: scanner))
        }
        let text = scanner.text(in: range)
        let value: Int?
        if let integer = Int(text) {
            value = integer
        } else if let double = Double(text), double.rounded() == double, abs(double) < 1e9 {
            value = Int(double)
        } else {
            value = nil
        }
        guard let value, (100...599).contains(value) else { throw .invalidStatusCode(found: text) }
        return value
    }

    private static func singleValueHeaders(
        _ range: Range<Int>?, in scanner: JSONScanner
    ) throws(GatewayAnswerError) -> [(name: String, value: String)] {
        guard let range else { return [] }
        guard let members = scanner.members(ofObjectAt: range.lowerBound) else {
            throw .wrongType(field: "headers", expected: "an object of strings", found: describe(range, in: scanner))
        }
        var result: [(name: String, value: String)] = []
        for member in members {
            guard let value = scanner.string(in: member.value), scanner.kind(at: member.value.lowerBound) == .string
            else {
                throw .wrongType(
                    field: "headers.\(member.name)", expected: "a string", found: describe(member.value, in: scanner))
            }
            try validate(name: member.name, value: value, field: "headers")
            if let existing = result.firstIndex(where: { $0.name == member.name }) {
                result[existing].value = value
            } else {
                result.append((member.name, value))
            }
        }
        return result
    }

    private static func multiValueHeaders(
        _ range: Range<Int>?, in scanner: JSONScanner
    ) throws(GatewayAnswerError) -> [(name: String, values: [String])] {
        guard let range else { return [] }
        guard let members = scanner.members(ofObjectAt: range.lowerBound) else {
            throw .wrongType(
                field: "multiValueHeaders", expected: "an object of arrays of strings",
                found: describe(range, in: scanner))
        }
        var result: [(name: String, values: [String])] = []
        for member in members {
            let field = "multiValueHeaders.\(member.name)"
            guard let elements = scanner.elements(ofArrayAt: member.value.lowerBound) else {
                throw .wrongType(
                    field: field, expected: "an array of strings", found: describe(member.value, in: scanner))
            }
            var values: [String] = []
            for element in elements {
                guard scanner.kind(at: element.lowerBound) == .string, let value = scanner.string(in: element) else {
                    throw .wrongType(
                        field: field, expected: "an array of strings",
                        found: "an array holding \(describe(element, in: scanner))")
                }
                try validate(name: member.name, value: value, field: "multiValueHeaders")
                values.append(value)
            }
            if values.isEmpty { continue }
            if let existing = result.firstIndex(where: { $0.name == member.name }) {
                result[existing].values = values
            } else {
                result.append((member.name, values))
            }
        }
        return result
    }

    /// `headers` then `multiValueHeaders`, a name in both sent once (see `describedResponse`).
    private static func merge(
        _ single: [(name: String, value: String)], _ multi: [(name: String, values: [String])]
    ) -> [(name: String, value: String)] {
        var result = single
        for (name, values) in multi {
            if let index = result.firstIndex(where: { $0.name.lowercased() == name.lowercased() }) {
                let single = result[index].value
                let all = values.contains(single) ? values : values + [single]
                result[index] = (result[index].name, all.joined(separator: ","))
            } else {
                result.append((name, values.joined(separator: ",")))
            }
        }
        return result
    }

    private static func cookies(_ range: Range<Int>?, in scanner: JSONScanner) throws(GatewayAnswerError) -> [String] {
        guard let range else { return [] }
        guard let elements = scanner.elements(ofArrayAt: range.lowerBound) else {
            throw .wrongType(field: "cookies", expected: "an array of strings", found: describe(range, in: scanner))
        }
        var result: [String] = []
        for element in elements {
            guard scanner.kind(at: element.lowerBound) == .string, let cookie = scanner.string(in: element) else {
                throw .wrongType(
                    field: "cookies", expected: "an array of strings",
                    found: "an array holding \(describe(element, in: scanner))")
            }
            try validate(name: "set-cookie", value: cookie, field: "cookies")
            result.append(cookie)
        }
        return result
    }

    private static func boolean(
        _ range: Range<Int>?, field: String, in scanner: JSONScanner
    ) throws(GatewayAnswerError) -> Bool {
        guard let range else { return false }
        guard scanner.kind(at: range.lowerBound) == .boolean else {
            throw .wrongType(field: field, expected: "a boolean", found: describe(range, in: scanner))
        }
        return scanner.text(in: range) == "true"
    }

    private static func string(
        _ range: Range<Int>?, field: String, in scanner: JSONScanner
    ) throws(GatewayAnswerError) -> String? {
        guard let range else { return nil }
        guard scanner.kind(at: range.lowerBound) == .string, let text = scanner.string(in: range) else {
            throw .wrongType(field: field, expected: "a string", found: describe(range, in: scanner))
        }
        return text
    }

    private static func validate(name: String, value: String, field: String) throws(GatewayAnswerError) {
        guard HeaderSyntax.isValidName(name) else { throw .invalidHeaderName(field: field, name: name) }
        guard HeaderSyntax.isValidValue(value) else { throw .invalidHeaderValue(field: field, name: name) }
    }

    /// "a number (12)", "an object", ... for error messages.
    private static func describe(_ range: Range<Int>, in scanner: JSONScanner) -> String {
        switch scanner.kind(at: range.lowerBound) {
        case .object: return "an object"
        case .array: return "an array"
        case .string: return "a string"
        case .number: return "a number (\(scanner.text(in: range).prefix(32)))"
        case .boolean: return "a boolean"
        case .null: return "null"
        case nil: return "nothing"
        }
    }
}
