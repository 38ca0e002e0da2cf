import Testing

extension Tag {
    /// Tests that measure and print figures; they assert only correctness, never speed.
    @Tag static var benchmark: Self
}
