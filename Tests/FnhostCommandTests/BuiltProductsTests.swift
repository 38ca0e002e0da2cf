import TestSupport
import Testing

/// The tests that run `fnhost`, `fnhost-launch` or the functions' binaries find them beside the test bundle, and a
/// missing one is a failure that says how to build it, never a skipped test.
@Suite struct BuiltProductsTests {
    @Test func everyProductTheTestsRunIsBuiltBesideTheTestBundle() throws {
        for name in ["fnhost", "fnhost-launch"] + Paths.functionBinaries {
            #expect(try Paths.requireBuilt(name) == Paths.buildDirectory + "/" + name)
        }
    }

    @Test func aMissingProductFailsNamingItAndHowToBuildIt() {
        let error = #expect(throws: TestFailure.self) { try Paths.requireBuilt("no-such-product") }
        #expect(
            error?.description == Paths.buildDirectory
                + "/no-such-product is missing: build the products first with `swift build` (swift test does this)")
    }
}
