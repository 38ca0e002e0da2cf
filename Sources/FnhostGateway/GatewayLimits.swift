/// API Gateway HTTP API's request limits, so that `fnhost serve` refuses what API Gateway would refuse, with the same
/// answer.
public enum GatewayLimits {
    /// An HTTP API's largest request payload: 10 MB.
    public static let maxRequestBytes = 10 * 1024 * 1024

    /// The answer for a request whose body has `bodyByteCount` bytes: nil when it is within the limit, else 413
    /// `{"message":"Request Entity Too Large"}`. Call it with the `Content-Length` before reading the body, and again
    /// with the bytes read when there is no `Content-Length`.
    public static func check(bodyByteCount: Int) -> GatewayHTTPResponse? {
        bodyByteCount > maxRequestBytes ? .payloadTooLarge : nil
    }
}
