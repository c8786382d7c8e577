import XCTest
import PlantModel

final class StorageTests: XCTestCase {
    /// The buffer conserves energy: Δstored = hot in − draw out − loss, and charging from the top
    /// builds a thermocline (hot above, cold below).
    func testBufferConservesEnergyAndStratifies() {
        var b = BufferTank(volumeM3: 15, heightM: 4, layers: 12, lossKWPerK: 0.02, initialC: 40)
        let cp = Water.cpKJPerKgK
        let e0 = b.storedKJ
        var net = 0.0
        for _ in 0..<3600 {
            let top = b.topC, bottom = b.bottomC
            b.step(dtS: 1, hotInKgPerS: 3, hotInC: 85, networkKgPerS: 1, returnInC: 45, ambientC: 15)
            net += 3 * cp * (85 - bottom) + 1 * cp * (45 - top) - b.lossKW
        }
        XCTAssertEqual(b.storedKJ - e0, net, accuracy: 1e-6 * abs(net))
        XCTAssertGreaterThan(b.topC, 80)
        XCTAssertLessThan(b.bottomC, 50)
        for i in 1..<b.layerCount { XCTAssertGreaterThanOrEqual(b.layersC[i - 1], b.layersC[i] - 1e-9) }
    }

    func testDHWTankDrawAndCharge() {
        var t = DHWTank(volumeM3: 0.5, lossKWPerK: 0.003, coilUAKWPerK: 0.9, initialC: 55)
        let e0 = t.storedKJ
        t.step(dtS: 600, heatKW: 0, drawM3PerS: 0.1 / 600, coldC: 10, ambientC: 20)
        XCTAssertLessThan(t.temperatureC, 55)
        XCTAssertEqual(e0 - t.storedKJ, (t.drawKW + t.lossKW) * 600, accuracy: 1e-6 * e0)
        XCTAssertGreaterThan(t.coilHeatKW(primaryInC: 75, primaryKgPerS: 0.2), 0)
    }

    func testBuildingSteadyStateLossIsUATimesDeltaT() {
        let p = BuildingParameters.make(heatLossKWPerK: 2, floorAreaM2: 500, construction: .medium,
                                        occupiedGainsWPerM2: 0, unoccupiedGainsWPerM2: 0, solarGainsWPerM2: [Double](repeating: 0, count: 12))
        var b = Building(parameters: p, initialC: 20)
        // heating that holds 20 °C at −10 °C outdoor in steady state: 2 kW/K × 30 K
        for _ in 0..<2000 { b.step(dtS: 3600, outdoorC: -10, heatingKW: 60, gainsKW: 0) }
        XCTAssertEqual(b.airTemperatureC, 20, accuracy: 1e-6)
        XCTAssertEqual(b.lossKW, 60, accuracy: 1e-6)
        XCTAssertEqual(b.heatingToReach(targetC: 20, dtS: 3600, outdoorC: -10, gainsKW: 0), 60, accuracy: 1e-6)
    }
}
