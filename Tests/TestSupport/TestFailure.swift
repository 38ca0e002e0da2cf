/// A failure of the test's own making (a precondition it needs, an answer of the wrong shape), with a message that
/// says what went wrong.
public struct TestFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
