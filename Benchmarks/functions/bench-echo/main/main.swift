// bench-echo: the benchmark function as fnhost's functions are built (SwiftPM's defaults: dynamic standard library).
import BenchEchoHandler
import LambdaRuntime

await BenchEcho.main()
