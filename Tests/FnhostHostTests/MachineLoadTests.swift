import Testing

@testable import FnhostHost

/// The CPU meter behind every experiment's "saturated" note: its `/proc` parsers and its verdict.
@Suite struct MachineLoadTests {
    @Test func theMachineLineCountsIdleAndIOWaitAsNotBusy() {
        let m = CPUCounters.parseMachine("cpu  100 5 50 800 20 3 2 0 0 0")
        #expect(m.total == 980)
        #expect(m.busy == 160)
    }

    @Test func aProcessStatWithSpacesAndParenthesesInItsNameIsRead() {
        let stat = "4242 (a (weird) name) S 1 4242 4242 0 -1 4194304 100 0 0 0 37 12 9 4 20 0 1 0 100 0 0"
        let ticks = CPUCounters.parseProcessStat(stat)
        #expect(ticks.ownTicks == 49)
        #expect(ticks.childTicks == 13)
    }

    @Test func aTruncatedStatLineReadsAsNoTime() {
        #expect(CPUCounters.parseProcessStat("12 (x) S 1").ownTicks == 0)
        #expect(CPUCounters.parseMachine("cpu 1 2").total == 0)
    }

    @Test func aLevelIsSaturatedWhenTheMachineIsNearlyAllBusy() {
        let busy = MachineLoad(cores: 2, wallSeconds: 10, machineBusy: 0.93, hostCPUSeconds: 6, workersCPUSeconds: 12)
        #expect(busy.isSaturated)
        #expect(busy.fnhostBusy == 0.9)
        #expect(busy.summary.hasPrefix("CPU 93 % of 2 cores (fnhost 90 %"))
        let quiet = MachineLoad(cores: 2, wallSeconds: 10, machineBusy: 0.3, hostCPUSeconds: 1, workersCPUSeconds: 2)
        #expect(!quiet.isSaturated)
    }

    @Test func burningCPUInThisProcessShowsInTheHostsShare() {
        // Burn until this process has used 0.3 CPU seconds (however long a loaded machine takes to give them).
        let meter = MachineLoad.start()
        let before = CPUCounters.process().host
        let cap = ContinuousClock.now + .seconds(30)
        var x: UInt64 = 1
        while CPUCounters.process().host - before < 0.3, ContinuousClock.now < cap {
            for _ in 0..<100_000 { x = x &* 6_364_136_223_846_793_005 &+ 1 }
        }
        let load = meter.finish()
        #expect(x != 0)
        #expect(load.hostCPUSeconds >= 0.25)
        #expect(load.machineBusy > 0)
        #expect(load.wallSeconds >= 0.25)
    }
}
