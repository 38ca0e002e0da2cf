/// A request's raw path split into segments once, with each segment also percent-decoded, so that every route is
/// matched against the same split.
struct RequestPath: Sendable {
    /// Segments as received (still percent-encoded), without the leading slash; `/` has none.
    let raw: [Substring]
    /// The same segments percent-decoded (a segment with a bad escape or bytes that are not UTF-8 is kept as is).
    let decoded: [String]

    /// Splits a raw path; nil when it does not start with `/` (such a path matches only `$default`).
    init?(_ rawPath: String) {
        guard rawPath.hasPrefix("/") else { return nil }
        let rest = rawPath.dropFirst()
        raw = rest.isEmpty ? [] : rest.split(separator: "/", omittingEmptySubsequences: false)
        decoded = raw.map { PercentEncoding.decodeOrKeep($0) }
    }
}
