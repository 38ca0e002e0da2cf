import FnhostWire
import Testing

/// The names, ARNs and partial ARNs Lambda accepts wherever a function is named.
@Suite struct FunctionReferenceTests {
    @Test(
        arguments: [
            ("org-status", "org-status", nil),
            ("org-status:$LATEST", "org-status", "$LATEST"),
            ("org-status:prod", "org-status", "prod"),
            ("000000000000:function:org-status", "org-status", nil),
            ("123456789012:function:org-status:7", "org-status", "7"),
            ("arn:aws:lambda:us-east-1:000000000000:function:org-status", "org-status", nil),
            ("arn:aws:lambda:eu-west-1:123456789012:function:org-status:live", "org-status", "live"),
        ] as [(String, String, String?)])
    func everyFormLambdaAcceptsNamesTheFunction(text: String, name: String, qualifier: String?) throws {
        let reference = try #require(FunctionReference(parsing: text))
        #expect(reference.name == name)
        #expect(reference.qualifier == qualifier)
    }

    @Test(arguments: [
        "", ":", "org status", "org-status:", "org-status:a:b", "arn:aws:lambda:us-east-1:0:function:x",
        "arn:aws:s3:us-east-1:000000000000:function:x", "000000000000:fn:x", "a:$LATESTX",
        String(repeating: "x", count: 65),
    ])
    func anythingElseIsRefused(text: String) {
        #expect(FunctionReference(parsing: text) == nil)
    }

    @Test func onlyNoQualifierOrLatestIsWhatFnhostRuns() {
        #expect(FunctionReference(name: "f").isLatest)
        #expect(FunctionReference(name: "f", qualifier: "$LATEST").isLatest)
        #expect(!FunctionReference(name: "f", qualifier: "prod").isLatest)
        #expect(FunctionReference(name: "f", qualifier: "prod").arn() == ARN.function("f") + ":prod")
    }
}
