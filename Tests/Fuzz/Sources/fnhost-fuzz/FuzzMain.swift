import FuzzTargets

// libFuzzer's entry point for fnhost's parsers; built by `scripts/fuzz` with `swift build --sanitize fuzzer`.
// `FNHOST_FUZZ_TARGET` names the target (see `FuzzTarget`); unset, the first input byte chooses one.
#if canImport(Glibc)
import Glibc
#endif

/// The target named by `FNHOST_FUZZ_TARGET`, read once.
let pinnedTarget: FuzzTarget? = getenv("FNHOST_FUZZ_TARGET").flatMap { FuzzTarget(rawValue: String(cString: $0)) }

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let bytes = count > 0 ? Array(UnsafeRawBufferPointer(start: start, count: count)) : []
    if let pinnedTarget {
        pinnedTarget.run(bytes)
    } else if let selector = bytes.first {
        FuzzTarget.allCases[Int(selector) % FuzzTarget.allCases.count].run(Array(bytes.dropFirst()))
    }
    return 0
}
