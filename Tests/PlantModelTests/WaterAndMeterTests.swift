import XCTest
import PlantModel

final class WaterAndMeterTests: XCTestCase {
    /// Density against IAPWS-95 at 0.101 MPa.
    func testDensityTable() {
        XCTAssertEqual(Water.densityKgPerM3(atC: 20), 998.21, accuracy: 0.05)
        XCTAssertEqual(Water.densityKgPerM3(atC: 50), 988.04, accuracy: 0.05)
        XCTAssertEqual(Water.densityKgPerM3(atC: 80), 971.79, accuracy: 0.05)
    }

    /// EN 1434 heat coefficient at 70/50 °C, volume measured in the return: ρ(50)·(h(70) − h(50))/20
    /// with IAPWS-IF97 h(70) − h(50) = 293.07 − 209.34 kJ/kg gives 1.1490 kWh/(m³·K).
    func testHeatCoefficient() {
        XCTAssertEqual(Water.heatCoefficientKWhPerM3K(supplyC: 70, returnC: 50, volumeAtC: 50), 1.1490, accuracy: 0.0015)
    }

    func testMeterIntegratesAndShowsWholeKWh() {
        var m = HeatMeter(serial: 1, nominalFlowM3PerH: 2.5)
        // 1 m³/h at 70/50 for one hour ≈ 1 m³ × 1.149 × 20 = 22.98 kWh
        let kg = 1.0 * Water.densityKgPerM3(atC: 50) / 3600
        for _ in 0..<3600 { m.integrate(dtS: 1, massKgPerS: kg, supplyC: 70, returnC: 50) }
        XCTAssertEqual(m.volumeM3, 1, accuracy: 1e-9)
        XCTAssertEqual(m.energyKWh, 1.1490 * 20, accuracy: 0.05)
        XCTAssertEqual(m.energyKWhDisplayed, 22)
        XCTAssertEqual(m.operatingHours, 1, accuracy: 1e-9)
        // below the starting flow the meter counts nothing
        let e = m.energyKWh
        m.integrate(dtS: 60, massKgPerS: 1e-7, supplyC: 70, returnC: 50)
        XCTAssertEqual(m.energyKWh, e)
    }
}
