import FnhostSimulation
import Testing

@testable import FnhostExperiment

/// The model the experiment prints beside its measurements.
@Suite struct HitRateModelTests {
    @Test func oneRequestNeverHitsAndManyRequestsOverFewKeysAlmostAlwaysHit() {
        #expect(HitRateModel.uniformHitRate(keys: 100, requests: 1) == 0)
        #expect(HitRateModel.uniformHitRate(keys: 100, requests: 100_000) > 0.998)
        #expect(HitRateModel.uniformHitRate(keys: 100, requests: 0) == 0)
    }

    @Test func theAnalyticRateMatchesTheFormulaOfTheIssue() {
        // 1 − K·(1 − (1 − 1/K)^n)/n for K = 50, n = 400/16 = 25.
        let k = 50.0
        let n = 25.0
        let expected = 1 - k * (1 - pow(1 - 1 / k, n)) / n
        let p = HitRateModel.predict(
            keys: 50, requests: 400, workers: 16, distribution: .uniform, capacity: nil, shared: false, seed: 1)
        #expect(abs(p.workerHitRate - expected) < 1e-12)
        #expect(p.overallHitRate == p.workerHitRate)
        #expect(p.method == "analytic")
    }

    @Test func aSharedTierPredictsTheRateOfOneCacheSeeingEveryRequest() {
        let p = HitRateModel.predict(
            keys: 50, requests: 400, workers: 16, distribution: .uniform, capacity: nil, shared: true, seed: 1)
        #expect(abs(p.overallHitRate - HitRateModel.uniformHitRate(keys: 50, requests: 400)) < 1e-12)
        #expect(p.overallHitRate > p.workerHitRate)
    }

    @Test func thePerWorkerRateFallsAsConcurrencyGrows() {
        let rates = [1, 2, 4, 8, 16, 32, 64].map {
            HitRateModel.predict(
                keys: 100, requests: 1_000, workers: $0, distribution: .uniform, capacity: nil, shared: false, seed: 1
            )
            .workerHitRate
        }
        #expect(zip(rates, rates.dropFirst()).allSatisfy { $0 > $1 })
    }

    @Test func theMonteCarloAgreesWithTheAnalyticModelForUniformKeys() {
        for workers in [1, 4, 16] {
            let analytic = HitRateModel.predict(
                keys: 50, requests: 400, workers: workers, distribution: .uniform, capacity: nil, shared: true, seed: 7)
            let simulated = HitRateModel.monteCarlo(
                keys: 50, requests: 400, workers: workers, distribution: .uniform, capacity: nil, shared: true, seed: 7,
                trials: 64)
            #expect(abs(analytic.workerHitRate - simulated.workerHitRate) < 0.02, "C=\(workers)")
            #expect(abs(analytic.overallHitRate - simulated.overallHitRate) < 0.02, "C=\(workers)")
        }
    }

    @Test func zipfKeysHitMoreOftenThanUniformOnesAndUseTheMonteCarlo() {
        let zipf = HitRateModel.predict(
            keys: 100, requests: 1_000, workers: 8, distribution: .zipf(s: 1.1), capacity: nil, shared: false, seed: 3)
        let uniform = HitRateModel.predict(
            keys: 100, requests: 1_000, workers: 8, distribution: .uniform, capacity: nil, shared: false, seed: 3)
        #expect(zipf.method == "monte-carlo")
        #expect(zipf.workerHitRate > uniform.workerHitRate)
    }

    @Test func aBoundedCacheHitsLessThanAnUnboundedOne() {
        let bounded = HitRateModel.predict(
            keys: 100, requests: 1_000, workers: 1, distribution: .uniform, capacity: 10, shared: false, seed: 3)
        let unbounded = HitRateModel.predict(
            keys: 100, requests: 1_000, workers: 1, distribution: .uniform, capacity: nil, shared: false, seed: 3)
        #expect(bounded.workerHitRate < unbounded.workerHitRate - 0.3)
    }

    @Test func theSameSeedGivesTheSameKeysAndAnotherSeedOthers() {
        let sampler = KeySampler(keys: 100, distribution: .zipf(s: 1.1))
        #expect(sampler.sequence(count: 50, seed: 9) == sampler.sequence(count: 50, seed: 9))
        #expect(sampler.sequence(count: 50, seed: 9) != sampler.sequence(count: 50, seed: 10))
        #expect(sampler.sequence(count: 1_000, seed: 9).allSatisfy { (1...100).contains($0) })
    }

    @Test func aTemplateTurnsAKeyIntoAnEvent() throws {
        #expect(
            String(decoding: try PayloadTemplate("{\"orgId\":\"ORG-{key:4}\"}").payload(key: 42), as: UTF8.self)
                == "{\"orgId\":\"ORG-0042\"}")
        #expect(String(decoding: try PayloadTemplate("{\"id\":{key}}").payload(key: 7), as: UTF8.self) == "{\"id\":7}")
        #expect(throws: ExperimentError.self) { try PayloadTemplate("{\"id\":1}") }
    }
}

#if canImport(Glibc)
import Glibc
#endif
