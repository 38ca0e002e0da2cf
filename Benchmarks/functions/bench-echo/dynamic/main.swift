// bench-echo-dynamic: the same function linked against the shared Swift runtime (every function links it
// statically), to measure what the static link saves at spawn and in resident memory.
import BenchEchoHandler
import LambdaRuntime

await BenchEcho.main()
