/// Parses a raw query string into API Gateway's `queryStringParameters`.
enum QueryString {
    /// Decoded parameters; a repeated name's values joined with `,` in the order received; nil when there is none.
    ///
    /// Pairs are separated by `&`; a pair without `=` has the empty value; pairs with an empty name are dropped.
    /// Names and values are percent-decoded (a malformed escape is kept as written); `+` stays `+`.
    static func parameters(_ raw: String) -> [String: String]? {
        var result: [String: String] = [:]
        for pair in raw.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = PercentEncoding.decodeOrKeep(parts[0])
            guard !name.isEmpty else { continue }
            let value = parts.count > 1 ? PercentEncoding.decodeOrKeep(parts[1]) : ""
            if let existing = result[name] {
                result[name] = existing + "," + value
            } else {
                result[name] = value
            }
        }
        return result.isEmpty ? nil : result
    }
}
