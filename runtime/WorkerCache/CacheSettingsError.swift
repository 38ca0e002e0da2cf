/// A cache setting that cannot be used, with the variable, the value and what would have been accepted.
public enum CacheSettingsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A setting (or environment variable) with an unusable value.
    case invalidValue(variable: String, value: String, expected: String)
    /// A Redis URL that does not parse.
    case invalidRedisURL(RedisURLError)

    public var description: String {
        switch self {
        case .invalidValue(let variable, let value, let expected):
            "\(variable)='\(value)' is not usable: expected \(expected)"
        case .invalidRedisURL(let error):
            error.description
        }
    }
}
