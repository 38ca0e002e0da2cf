import Testing

/// The `fnhost` binary run as a user runs it, one command at a time (serialized: each run starts workers).
@Suite(.serialized, .timeLimit(.minutes(1))) struct Integration {}
