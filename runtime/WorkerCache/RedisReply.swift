/// A Redis reply copied out of hiredis's `redisReply` (which is freed right after), minus error replies, which
/// become `RedisError.errorReply`.
enum RedisReply: Equatable {
    case string([UInt8])
    case status(String)
    case integer(Int64)
    case null
    case array([RedisReply])

    /// The reply as text, for status and string replies.
    var text: String? {
        switch self {
        case .status(let text): text
        case .string(let bytes): String(decoding: bytes, as: UTF8.self)
        default: nil
        }
    }
}
