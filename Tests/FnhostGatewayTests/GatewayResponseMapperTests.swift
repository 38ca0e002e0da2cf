import FnhostGateway
import Testing

/// Function answers mapped to HTTP responses by API Gateway's payload-2.0 rules, and every malformed answer.
@Suite("Answer to response")
struct GatewayResponseMapperTests {
    @Test func anObjectWithStatusCodeIsUsedAsGiven() {
        let response = Support.answer(
            #"{"statusCode": 201, "headers": {"Content-Type": "text/plain", "X-Id": "7"}, "body": "created"}"#)
        #expect(response.status == 201)
        #expect(response.headers.map { "\($0.name): \($0.value)" } == ["Content-Type: text/plain", "X-Id: 7"])
        #expect(response.bodyText == "created")
    }

    @Test func aMissingContentTypeDefaultsToJSON() {
        let response = Support.answer(#"{"statusCode": 404, "body": "{\"error\":\"no such org\"}"}"#)
        #expect(response.status == 404)
        #expect(response.headerValues("content-type") == ["application/json"])
        #expect(response.bodyText == #"{"error":"no such org"}"#)
    }

    @Test func aStatusCodeWithoutABodyGivesAnEmptyBody() {
        let response = Support.answer(#"{"statusCode": 204}"#)
        #expect(response == GatewayHTTPResponse(status: 204, headers: [("content-type", "application/json")], body: []))
    }

    @Test func nullMembersCountAsAbsent() {
        let response = Support.answer(
            #"{"statusCode": 200, "headers": null, "body": null, "cookies": null, "isBase64Encoded": null}"#)
        #expect(response.status == 200)
        #expect(response.body.isEmpty)
    }

    @Test func cookiesBecomeSetCookieHeadersInOrder() {
        let response = Support.answer(
            #"{"statusCode": 200, "cookies": ["a=1; Path=/", "b=2; HttpOnly"], "body": "ok"}"#)
        #expect(response.headerValues("set-cookie") == ["a=1; Path=/", "b=2; HttpOnly"])
    }

    @Test func multiValueHeadersAreJoinedWithCommas() {
        let response = Support.answer(
            #"{"statusCode": 200, "multiValueHeaders": {"X-Tag": ["a", "b"], "Vary": ["Accept"], "X-None": []}}"#)
        #expect(response.headerValues("x-tag") == ["a,b"])
        #expect(response.headerValues("vary") == ["Accept"])
        #expect(response.headerValues("x-none") == [])
    }

    @Test func aHeaderInBothHeadersAndMultiValueHeadersIsSentOnce() {
        let response = Support.answer(
            #"{"statusCode": 200, "headers": {"x-tag": "c", "Vary": "Accept"}, "multiValueHeaders": {"X-Tag": ["a", "b"], "vary": ["Accept"]}}"#
        )
        #expect(response.headerValues("x-tag") == ["a,b,c"])
        #expect(response.headerValues("vary") == ["Accept"])
    }

    @Test func aBase64BodyIsSentDecoded() {
        let response = Support.answer(
            #"{"statusCode": 200, "headers": {"content-type": "image/png"}, "body": "iVBORw0KGgoA/w==", "isBase64Encoded": true}"#
        )
        #expect(response.body == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0xFF])
        #expect(response.headerValues("content-type") == ["image/png"])
        #expect(Support.answer(#"{"statusCode": 200, "body": "aGk", "isBase64Encoded": true}"#).bodyText == "hi")
        #expect(Support.answer(#"{"statusCode": 200, "body": "", "isBase64Encoded": true}"#).body == [])
    }

    @Test func escapedStringsInTheAnswerAreDecoded() {
        let response = Support.answer(#"{"statusCode": 200, "body": "caf\u00e9 \ud83d\ude00 \"q\"\n\/"}"#)
        #expect(response.bodyText == "caf\u{E9} \u{1F600} \"q\"\n/")
    }

    @Test func theLastOfARepeatedMemberCountsAndUnknownMembersAreIgnored() {
        let response = Support.answer(#"{"statusCode": 500, "statusCode": 202, "body": "x", "extra": {"deep": [1]}}"#)
        #expect(response.status == 202)
        #expect(response.bodyText == "x")
    }

    @Test func anIntegralStatusCodeWrittenAsADecimalIsAccepted() {
        #expect(Support.answer(#"{"statusCode": 200.0}"#).status == 200)
        #expect(Support.answer(#"{"statusCode": 3e2}"#).status == 300)
    }

    @Test(arguments: [
        #"{"ok": true, "orgId": "42"}"#, #"[1, 2, {"a": null}]"#, #""just a string""#, "42", "-1.5e3", "true", "false",
        "null", "  {\"statusCodes\": 1}\n", "{}", "[]",
    ])
    func anyOtherJSONIsA200JSONBodyExactlyAsSent(answer: String) {
        let response = Support.answer(answer)
        #expect(response.status == 200)
        #expect(response.headers.count == 1)
        #expect(response.headerValues("content-type") == ["application/json"])
        #expect(response.bodyText == answer)
    }

    @Test func aStatusCodeInsideANestedObjectDoesNotCount() {
        let answer = #"{"data": {"statusCode": 500}}"#
        #expect(Support.answer(answer).status == 200)
        #expect(Support.answer(answer).bodyText == answer)
    }

    @Test(
        arguments: [
            (#"{"statusCode": "200"}"#, GatewayAnswerError.invalidStatusCode(found: "a string")),
            (#"{"statusCode": null}"#, .invalidStatusCode(found: "null")),
            (#"{"statusCode": 99}"#, .invalidStatusCode(found: "99")),
            (#"{"statusCode": 600}"#, .invalidStatusCode(found: "600")),
            (#"{"statusCode": 200.5}"#, .invalidStatusCode(found: "200.5")),
            (#"{"statusCode": 1e400}"#, .invalidStatusCode(found: "1e400")),
            (#"{"statusCode": 99999999999999999999999}"#, .invalidStatusCode(found: "99999999999999999999999")),
            (
                #"{"statusCode": 200, "body": {"a": 1}}"#,
                .wrongType(field: "body", expected: "a string", found: "an object")
            ),
            (
                #"{"statusCode": 200, "body": 12}"#,
                .wrongType(field: "body", expected: "a string", found: "a number (12)")
            ),
            (
                #"{"statusCode": 200, "headers": {"x": 1}}"#,
                .wrongType(field: "headers.x", expected: "a string", found: "a number (1)")
            ),
            (
                #"{"statusCode": 200, "headers": ["x"]}"#,
                .wrongType(field: "headers", expected: "an object of strings", found: "an array")
            ),
            (
                #"{"statusCode": 200, "multiValueHeaders": {"x": "a"}}"#,
                .wrongType(field: "multiValueHeaders.x", expected: "an array of strings", found: "a string")
            ),
            (
                #"{"statusCode": 200, "multiValueHeaders": {"x": [1]}}"#,
                .wrongType(
                    field: "multiValueHeaders.x", expected: "an array of strings",
                    found: "an array holding a number (1)")
            ),
            (
                #"{"statusCode": 200, "cookies": "a=1"}"#,
                .wrongType(field: "cookies", expected: "an array of strings", found: "a string")
            ),
            (
                #"{"statusCode": 200, "cookies": [true]}"#,
                .wrongType(field: "cookies", expected: "an array of strings", found: "an array holding a boolean")
            ),
            (
                #"{"statusCode": 200, "isBase64Encoded": "true"}"#,
                .wrongType(field: "isBase64Encoded", expected: "a boolean", found: "a string")
            ),
            (#"{"statusCode": 200, "body": "not base64!", "isBase64Encoded": true}"#, .invalidBase64Body),
            (#"{"statusCode": 200, "body": "aGk=\n", "isBase64Encoded": true}"#, .invalidBase64Body),
            (#"{"statusCode": 200, "body": "a", "isBase64Encoded": true}"#, .invalidBase64Body),
            (
                #"{"statusCode": 200, "headers": {"Bad Name": "x"}}"#,
                .invalidHeaderName(field: "headers", name: "Bad Name")
            ),
            (#"{"statusCode": 200, "headers": {"": "x"}}"#, .invalidHeaderName(field: "headers", name: "")),
            (
                #"{"statusCode": 200, "headers": {"X": "a\r\nSet-Cookie: evil=1"}}"#,
                .invalidHeaderValue(field: "headers", name: "X")
            ),
            (
                #"{"statusCode": 200, "multiValueHeaders": {"X": ["ok", "a\u0000b"]}}"#,
                .invalidHeaderValue(field: "multiValueHeaders", name: "X")
            ),
            (
                #"{"statusCode": 200, "cookies": ["a=1\nb=2"]}"#,
                .invalidHeaderValue(field: "cookies", name: "set-cookie")
            ),
        ] as [(String, GatewayAnswerError)])
    func aMalformedResponseObjectIs502(answer: String, reason: GatewayAnswerError) {
        #expect(throws: reason) { try GatewayResponseMapper.interpret(Array(answer.utf8)) }
        let response = Support.answer(answer)
        #expect(response == .badGateway)
        #expect(response.status == 502)
        #expect(response.bodyText == #"{"message":"Internal Server Error"}"#)
    }

    @Test(arguments: [
        "", " ", "not json", "{", #"{"statusCode": 200"#, "[1,]", "{\"a\" 1}", "01", "1.", "-", "tru", "nul",
        "{\"a\":1}}", "\"unterminated", "\"bad \\x escape\"", "\"raw\ttab\"", "1 2", "{'a': 1}", "[1] x", "\"\\u12\"",
    ])
    func anAnswerThatIsNotJSONIs502(answer: String) {
        let error = #expect(throws: GatewayAnswerError.self) { try GatewayResponseMapper.interpret(Array(answer.utf8)) }
        if case .notJSON? = error {} else { Issue.record("\(answer): \(String(describing: error))") }
        #expect(Support.answer(answer) == .badGateway)
    }

    @Test func anAnswerThatIsNotUTF8Is502() {
        #expect(GatewayResponseMapper.response(forAnswer: [0x22, 0xFF, 0x22]) == .badGateway)
        #expect(throws: GatewayAnswerError.notJSON(reason: "the text is not valid UTF-8")) {
            try GatewayResponseMapper.interpret([0x22, 0xC3, 0x22])
        }
    }

    @Test func aFunctionErrorIs500AndHidesTheError() {
        let response = GatewayResponseMapper.responseForFunctionError()
        #expect(response.status == 500)
        #expect(response.bodyText == #"{"message":"Internal Server Error"}"#)
        #expect(response.headerValues("content-type") == ["application/json"])
    }

    @Test func errorMessagesTellTheAuthorWhatToReturn() {
        #expect(
            GatewayAnswerError.invalidStatusCode(found: "600").description
                == "statusCode must be an integer from 100 to 599, found 600")
        #expect(GatewayAnswerError.notJSON(reason: "r").description.contains("return a JSON value"))
        #expect(
            GatewayAnswerError.invalidHeaderName(field: "headers", name: String(repeating: "x", count: 500)).description
                .count < 300)
    }

    @Test func deeplyNestedAnswersAreMappedWithoutRecursion() {
        let depth = 200_000
        let array = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        #expect(Support.answer(array).status == 200)
        #expect(Support.answer(array).body.count == depth * 2)
        let object =
            #"{"statusCode": 200, "extra": "# + String(repeating: #"{"a":"#, count: depth) + "1"
            + String(repeating: "}", count: depth) + #", "body": "ok"}"#
        #expect(Support.answer(object).bodyText == "ok")
        let unbalanced = String(repeating: "[", count: depth)
        #expect(Support.answer(unbalanced) == .badGateway)
    }
}
