// libFuzzer entry point for fnhost's input parsers. Built by scripts/fuzz with `swiftc -sanitize=fuzzer`, all the
// modules below compiled together into one (so `import` lines of fnhost's own modules are removed by the script).
// The first byte of the input chooses the target; the rest is its input.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: start, count: count))
    guard let selector = bytes.first else { return 0 }
    let input = Array(bytes.dropFirst())
    switch FuzzTarget.selected {
    case .manifest?: fuzzManifest(input)
    case .profile?: fuzzProfile(input)
    case .gateway?: GatewayFuzzEntry.run(input)
    case nil:
        switch selector % 3 {
        case 0: fuzzManifest(input)
        case 1: fuzzProfile(input)
        default: GatewayFuzzEntry.run(input)
        }
    }
    return 0
}

/// `FNHOST_FUZZ_TARGET=manifest|profile|gateway` pins one target; unset, the first input byte chooses.
enum FuzzTarget: String {
    case manifest, profile, gateway
    static let selected = ProcessInfo.processInfo.environment["FNHOST_FUZZ_TARGET"].flatMap(FuzzTarget.init(rawValue:))
}

/// A manifest must load or be refused with a ManifestError; anything else (a crash, another error) is a bug.
func fuzzManifest(_ input: [UInt8]) {
    do {
        let m = try ManifestLoader.parse(input, file: "fuzz/function.json", directory: "fuzz")
        precondition(!m.name.isEmpty && !m.command.isEmpty, "a loaded manifest has a name and a command")
    } catch {
        _ = error.description
    }
}

/// A profile must load or be refused with a ProfileError.
func fuzzProfile(_ input: [UInt8]) {
    do {
        let p = try ProfileLoader().parse(Data(input), file: "fuzz.json")
        for component in OverheadComponent.allCases {
            var g = SeededGenerator(seed: 1)
            let v = p.distribution(component).sample(using: &g)
            precondition(v >= 0 && v.isFinite, "a profile's samples are finite and never negative")
        }
    } catch {
        _ = error.description
    }
}
