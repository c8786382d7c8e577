import XCTest
import Foundation
import PlantModel

final class PipeTests: XCTestCase {
    /// Steady plug flow: T_out = T_g + (T_in − T_g)·exp(−U'·L / (ṁ·c)), the analytic solution.
    func testSteadyOutletMatchesExponentialCooling() {
        var p = PlugFlowPipe(lengthM: 500, innerDiameterM: 0.04, lossWPerMK: 0.2, groundC: 10, initialC: 80, designFlowM3PerH: 3)
        let q = 1.0  // m³/h
        var t = 0.0
        for _ in 0..<20_000 { p.step(t: t, dtS: 1, flowM3PerS: q / 3600, inletC: 80); t += 1 }
        let m = q / 3600 * Water.densityKgPerM3
        let expected = 10 + 70 * exp(-0.2 * 500 / (m * Water.cpKJPerKgK * 1000))
        XCTAssertEqual(p.outletC, expected, accuracy: 0.01)
    }

    /// The loss of a short, fast pipe does not depend on the step: each parcel stays its true V/Q
    /// (inflow and outflow taken at mid-step). Taken at the start and the end of the step, every
    /// parcel aged a step more: at 10 s this 10 m branch lost 16 % too much.
    func testLossOfAShortPipeIsTheSameAtEveryStep() {
        func meanLossKW(dtS: Double) -> Double {
            var p = PlugFlowPipe(lengthM: 10, innerDiameterM: 0.0204, lossWPerMK: 0.16, groundC: 10, initialC: 75, designFlowM3PerH: 1)
            let q = 0.2 / 3600   // residence V/Q = 59 s
            var t = 0.0, loss = 0.0
            while t < 7200 { p.step(t: t, dtS: dtS, flowM3PerS: q, inletC: 75); loss += p.lossKW * dtS; t += dtS }
            return loss / 7200
        }
        // steady state: ṁc(T_in − T_g)(1 − e^(−U'L/(ṁc)))
        let mc = 0.2 / 3600 * Water.densityKgPerM3 * Water.cpKJPerKgK
        let exact = mc * 65 * (1 - exp(-0.16e-3 * 10 / mc))
        for dt in [1.0, 10, 30] { XCTAssertEqual(meanLossKW(dtS: dt), exact, accuracy: 0.01 * exact, "at a \(dt) s step") }
    }

    /// A step at the inlet appears at the outlet after the transport delay V/Q.
    func testTransportDelay() {
        var p = PlugFlowPipe(lengthM: 100, innerDiameterM: 0.05, lossWPerMK: 0.001, groundC: 10, initialC: 40, designFlowM3PerH: 3)
        let q = 2.0 / 3600   // m³/s
        let delay = p.volumeM3 / q
        var t = 0.0
        var arrival: Double? = nil
        while t < delay * 2 {
            p.step(t: t, dtS: 1, flowM3PerS: q, inletC: 70)
            t += 1
            if arrival == nil && p.outletC > 55 { arrival = t }
        }
        XCTAssertNotNil(arrival)
        XCTAssertEqual(arrival!, delay, accuracy: delay * 0.03)
    }

    /// Energy in − energy out − loss = change of stored heat, every step, whatever the flow.
    func testEnergyConservation() {
        var p = PlugFlowPipe(lengthM: 80, innerDiameterM: 0.03, lossWPerMK: 0.15, groundC: 8, initialC: 60, designFlowM3PerH: 2)
        var t = 0.0
        var rng = SeededRandom(seed: 3)
        var sumIn = 0.0, sumOut = 0.0, sumLoss = 0.0
        let e0 = p.storedKJ(at: 0)
        for k in 0..<50_000 {
            let q = k % 7000 < 3000 ? 0 : rng.nextUnit() * 1.5 / 3600
            let tin = 50 + 30 * rng.nextUnit()
            p.step(t: t, dtS: 1, flowM3PerS: q, inletC: tin)
            t += 1
            let c = Water.densityKgPerM3 * Water.cpKJPerKgK
            sumIn += c * q * tin; sumOut += c * q * p.outletC; sumLoss += p.lossKW
        }
        let e1 = p.storedKJ(at: t)
        XCTAssertEqual(sumIn - sumOut - sumLoss, e1 - e0, accuracy: 1e-6 * abs(sumIn))
        XCTAssertGreaterThan(sumLoss, 0)
    }

    /// Stagnant water cools exponentially toward the ground with τ = ρcA/U'.
    func testStagnantCooling() {
        var p = PlugFlowPipe(lengthM: 10, innerDiameterM: 0.05, lossWPerMK: 0.2, groundC: 10, initialC: 70, designFlowM3PerH: 1)
        var t = 0.0
        for _ in 0..<3600 { p.step(t: t, dtS: 1, flowM3PerS: 0, inletC: 70); t += 1 }
        let expected = 10 + 60 * exp(-3600 / p.coolingTimeConstantS)
        XCTAssertEqual(p.meanTemperatureC(at: t), expected, accuracy: 1e-9)
    }
}
