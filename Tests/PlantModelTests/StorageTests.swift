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
        // one long step stays stable and keeps energy (implicit upwind)
        t.step(dtS: 600, coilKW: .zero, drawM3PerS: 0.1 / 600, coldC: 10, ambientC: 20)
        XCTAssertLessThan(t.meanC, 55)
        XCTAssertEqual(e0 - t.storedKJ, (t.drawKW + t.lossKW) * 600, accuracy: 1e-6 * e0)
        XCTAssertGreaterThan(t.coil(primaryInC: 75, primaryKgPerS: 0.2).segmentKW.sum(), 0)
    }

    /// A draw pushes cold water in at the bottom as a plug: the outlet stays hot until the cold
    /// front reaches the top, the front stays sharp, and energy is kept step by step.
    func testDHWTankStratifiesUnderADraw() {
        var t = DHWTank(volumeM3: 0.4, lossKWPerK: 0.003, coilUAKWPerK: 0.8, initialC: 60)
        var e = t.storedKJ, out = 0.0
        func stable() { for i in 1..<t.segments { XCTAssertGreaterThanOrEqual(t.segmentC[i - 1], t.segmentC[i] - 1e-12) } }
        // 60 % of the volume drawn in 30 min
        for _ in 0..<1800 {
            t.step(dtS: 1, coilKW: .zero, drawM3PerS: 0.24 / 1800, coldC: 10, ambientC: 20)
            out += t.drawKW + t.lossKW
        }
        XCTAssertEqual(e - t.storedKJ, out, accuracy: 1e-9 * e)
        XCTAssertEqual((t.segmentM3).sum(), 0.4, accuracy: 1e-12, "the volume is kept")
        XCTAssertGreaterThan(t.outletC, 59.5, "the top still delivers hot water")
        // the front at 0.6 of the height
        XCTAssertGreaterThan(t.temperatureC(atRelativeHeight: 0.65), 59, "hot above the front")
        XCTAssertLessThan(t.temperatureC(atRelativeHeight: 0.55), 11, "cold below it: the front is sharp")
        XCTAssertLessThanOrEqual(t.segments, DHWTank.maxSegments)
        stable()
        // the coil's outlet sees the cold bottom: the network gets cold water back
        let c = t.coil(primaryInC: 75, primaryKgPerS: 0.1)
        XCTAssertLessThan(c.outletC, 25)
        XCTAssertEqual(c.segmentKW.sum(), 0.1 * Water.cpKJPerKgK * (75 - c.outletC), accuracy: 1e-9)
        // charge: the heated water rises and mixes upwards, the column stays stable, energy kept
        e = t.storedKJ; var input = 0.0; out = 0
        var seconds = 0
        while t.lowerSensorC < 60 {
            let q = t.coil(primaryInC: 75, primaryKgPerS: 0.1).segmentKW
            t.step(dtS: 1, coilKW: q, drawM3PerS: 0, coldC: 10, ambientC: 20)
            input += q.sum(); out += t.lossKW; seconds += 1
            stable()
        }
        XCTAssertEqual(t.storedKJ - e, input - out, accuracy: 1e-9 * e)
        XCTAssertGreaterThan(t.temperatureC(atRelativeHeight: 0.05), 59.9, "charged down to the bottom")
        XCTAssertGreaterThan(t.coil(primaryInC: 75, primaryKgPerS: 0.1).outletC, 59, "charged: the coil's outlet comes back warm")
    }

    /// A draw larger than the tank in one step leaves it full of cold water, energy kept.
    func testDHWTankDrawnEmptyInOneStep() {
        var t = DHWTank(volumeM3: 0.2, lossKWPerK: 0, coilUAKWPerK: 0.5, initialC: 60)
        let e = t.storedKJ
        t.step(dtS: 10, coilKW: .zero, drawM3PerS: 0.05, coldC: 10, ambientC: 20)
        XCTAssertEqual(t.meanC, 10, accuracy: 1e-12)
        XCTAssertEqual(e - t.storedKJ, t.drawKW * 10, accuracy: 1e-9 * e)
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
