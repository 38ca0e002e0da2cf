import BenchIO

// fnhost-bench-peer: the other end of `fnhost-bench`'s floors, built with the libraries fnhost itself uses.
//
//   fnhost-bench-peer line           prints "ready" and exits (a spawn of a binary that links Hummingbird)
//   fnhost-bench-peer echo-framed    echoes length-prefixed messages from stdin to stdout until end-of-file
//   fnhost-bench-peer http [PORT]    serves a hello-world over HTTP/1.1 with Hummingbird on 127.0.0.1 (0: a free
//                                    port) and prints "listening PORT"; exits at end-of-file on stdin
//   fnhost-bench-peer nio [PORT]     the same echo on SwiftNIO's HTTP/1.1 server, answered on the event loop, as
//                                    fnhost's Runtime API endpoint answers
#if canImport(Glibc)
import Glibc
#endif

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "line":
    BenchIO.writeAll(1, Array("ready\n".utf8))
case "echo-framed":
    FramedEcho.run(input: 0, output: 1)
case "http":
    let port = arguments.count > 1 ? Int(arguments[1]) ?? 0 : 0
    do {
        try await HelloServer.run(port: port)
    } catch {
        BenchIO.writeAll(2, Array("fnhost-bench-peer: \(error)\n".utf8))
        exit(1)
    }
case "nio":
    let port = arguments.count > 1 ? Int(arguments[1]) ?? 0 : 0
    do {
        try await NIOEchoServer.run(port: port)
    } catch {
        BenchIO.writeAll(2, Array("fnhost-bench-peer: \(error)\n".utf8))
        exit(1)
    }
default:
    BenchIO.writeAll(2, Array("usage: fnhost-bench-peer line | echo-framed | http [PORT] | nio [PORT]\n".utf8))
    exit(64)
}
