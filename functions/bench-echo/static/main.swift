// bench-echo-static: the same function linked with -static-stdlib, to measure what a static worker saves at spawn.
import BenchEchoHandler
import LambdaRuntime

await BenchEcho.main()
