/// A function as Lambda's API lets a caller name it: `org-status`, `org-status:$LATEST`,
/// `000000000000:function:org-status` (a partial ARN) or `arn:aws:lambda:us-east-1:000000000000:function:org-status`,
/// each with an optional `:qualifier`. Parsed once, so every operation accepts the same forms.
public struct FunctionReference: Sendable, Equatable {
    public var name: String
    /// A version or alias; nil when none was given.
    public var qualifier: String?

    public init(name: String, qualifier: String? = nil) {
        self.name = name
        self.qualifier = qualifier
    }

    /// The only version fnhost has: every function runs its latest code.
    public static let latest = "$LATEST"

    /// Parses any of Lambda's forms; nil when `text` is none of them.
    public init?(parsing text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        let rest: ArraySlice<Substring>
        // (A `where` clause binds to the last pattern of a case only: each count gets its own test.)
        let isPartial = (3...4).contains(parts.count) && Self.isAccount(parts[0]) && parts[1] == "function"
        let isFull =
            (7...8).contains(parts.count) && parts[0] == "arn" && parts[1].hasPrefix("aws") && parts[2] == "lambda"
            && !parts[3].isEmpty && Self.isAccount(parts[4]) && parts[5] == "function"
        if parts.count <= 2 {
            rest = parts[...]
        } else if isPartial {
            rest = parts[2...]
        } else if isFull {
            rest = parts[6...]
        } else {
            return nil
        }
        guard let name = rest.first, InvokeAPI.isValidFunctionName(name) else { return nil }
        self.name = String(name)
        if rest.count == 2 {
            let q = rest[rest.startIndex + 1]
            guard q == Self.latest || Self.isAlias(q) else { return nil }
            qualifier = String(q)
        } else {
            qualifier = nil
        }
    }

    /// Whether the qualifier names what fnhost runs: none, or `$LATEST`.
    public var isLatest: Bool { qualifier == nil || qualifier == Self.latest }

    /// The function's ARN, with its qualifier when it has one.
    public func arn(region: String = ARN.defaultRegion) -> String {
        ARN.function(name, region: region) + (qualifier.map { ":" + $0 } ?? "")
    }

    static func isAccount(_ s: Substring) -> Bool {
        s.count == 12 && s.allSatisfy(\.isASCII) && s.allSatisfy(\.isNumber)
    }

    /// A version number or an alias: letters, digits, `-` and `_`, at most 128.
    static func isAlias(_ s: Substring) -> Bool {
        (1...128).contains(s.utf8.count)
            && s.utf8.allSatisfy { b in
                (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b == 0x2d
                    || b == 0x5f
            }
    }
}
