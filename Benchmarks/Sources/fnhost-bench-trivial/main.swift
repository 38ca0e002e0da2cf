// fnhost-bench-trivial: the smallest Swift executable, for the spawn floor of `fnhost-bench`.
//
//   fnhost-bench-trivial          prints "ready" and exits
//   fnhost-bench-trivial wait     prints "ready", then waits for end-of-file on standard input (a resident-size floor)
//
// No Foundation, nothing but the standard library and the C library: what any Swift worker pays at least.
#if canImport(Glibc)
import Glibc
#endif

/// Writes `text` to standard output in one `write(2)` (no stdio buffering to flush).
func say(_ text: String) {
    var line = text
    line.withUTF8 { _ = write(1, $0.baseAddress, $0.count) }
}

say("ready\n")
if CommandLine.arguments.dropFirst().first == "wait" {
    var byte: UInt8 = 0
    while read(0, &byte, 1) > 0 {}
}
