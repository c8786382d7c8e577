import XCTest
import Foundation
import PlantModel

final class HeatExchangerTests: XCTestCase {
    /// ε-NTU against the closed forms of Incropera table 11.3 (counterflow).
    func testCounterflowEffectivenessMatchesAnalyticForms() {
        // Cr = 0: ε = 1 − e^(−NTU), whatever the flow arrangement
        for ntu in [0.1, 0.5, 1.0, 2.0, 5.0] {
            XCTAssertEqual(PlateHeatExchanger.counterflowEffectiveness(ntu: ntu, cr: 0), 1 - exp(-ntu), accuracy: 1e-12)
        }
        // Cr = 1: ε = NTU / (1 + NTU)
        XCTAssertEqual(PlateHeatExchanger.counterflowEffectiveness(ntu: 3, cr: 1), 0.75, accuracy: 1e-12)
        // NTU = 1, Cr = 0.5: (1 − e^−0.5)/(1 − 0.5 e^−0.5) = 0.5647 (Incropera fig. 11.15)
        XCTAssertEqual(PlateHeatExchanger.counterflowEffectiveness(ntu: 1, cr: 0.5), 0.5647, accuracy: 1e-4)
    }

    /// An exchanger sized by the LMTD method for a duty gives that duty back by ε-NTU at its
    /// nominal flows: the two methods agree.
    func testSizedExchangerDeliversItsDesignDuty() {
        let hx = PlateHeatExchanger.sized(powerKW: 100, primaryInC: 85, primaryOutC: 55, secondaryInC: 50, secondaryOutC: 70)
        let (eps, cp, cs) = hx.effectiveness(primaryKgPerS: hx.nominalPrimaryKgPerS, secondaryKgPerS: hx.nominalSecondaryKgPerS)
        let q = eps * min(cp, cs) * (85 - 50)
        XCTAssertEqual(q, 100, accuracy: 0.01)
    }

    /// Halving the primary flow lowers the conductance by the 0.8-power law on that side.
    func testConductanceFollowsFlowPowerLaw() {
        let hx = PlateHeatExchanger(nominalUAKWPerK: 10, nominalPrimaryKgPerS: 1, nominalSecondaryKgPerS: 1)
        XCTAssertEqual(hx.conductanceKWPerK(primaryKgPerS: 1, secondaryKgPerS: 1), 10, accuracy: 1e-12)
        let expected = 10 / (0.5 * pow(0.5, -0.8) + 0.5)
        XCTAssertEqual(hx.conductanceKWPerK(primaryKgPerS: 0.5, secondaryKgPerS: 1), expected, accuracy: 1e-12)
    }

    func testEqualPercentageValve() {
        XCTAssertEqual(ControlValve.relativeKv(1, rangeability: 50), 1)
        XCTAssertEqual(ControlValve.relativeKv(0, rangeability: 50), 0)
        // each 10 % of stroke multiplies Kv by 50^0.1 (less the small linear closing term)
        let a = ControlValve.relativeKv(0.6, rangeability: 50), b = ControlValve.relativeKv(0.7, rangeability: 50)
        XCTAssertEqual(b / a, pow(50, 0.1), accuracy: 0.05)
        var v = ControlValve(kvs: 10, strokeTimeS: 100)
        v.move(toward: 1, dtS: 30)
        XCTAssertEqual(v.position, 0.3, accuracy: 1e-12)
    }
}
