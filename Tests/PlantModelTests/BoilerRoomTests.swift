import XCTest
import PlantModel

final class BoilerRoomTests: XCTestCase {
    func testBoilerSequenceIgnitionRunningEmberBurnOut() {
        var spec = WoodChipBoilerSpec(nominalKW: 250, waterVolumeM3: 0.6)
        spec.ignitionS = 600; spec.emberKeepingMaxS = 1200; spec.burnOutS = 300
        var b = WoodChipBoiler(spec: spec, initialC: 60)
        func run(_ s: Double, demand: Bool, mod: Double = 1) {
            for _ in 0..<Int(s) { b.step(dtS: 1, demand: demand, modulation: mod, loopKgPerS: 3, loopReturnC: 60, fuelAvailable: true, roomC: 15) }
        }
        run(10, demand: true)
        XCTAssertEqual(b.state, .ignition)
        XCTAssertEqual(b.starts, 1)
        run(600, demand: true)
        XCTAssertEqual(b.state, .running)
        run(1200, demand: true, mod: 1)
        XCTAssertEqual(b.firing, 1, accuracy: 1e-9)   // ramped from 40 % at 6 %/min
        XCTAssertGreaterThan(b.efficiency, 0.86); XCTAssertLessThan(b.efficiency, 0.92)
        XCTAssertGreaterThan(b.flueGasC, 150); XCTAssertLessThan(b.oxygenPercent, 8)
        run(10, demand: false)
        XCTAssertEqual(b.state, .emberKeeping)
        run(1300, demand: false)
        XCTAssertEqual(b.state, .burnOut)
        let fuelAtBurnOut = b.fuelKWh
        run(400, demand: false)
        XCTAssertEqual(b.state, .off)
        XCTAssertGreaterThan(fuelAtBurnOut, 0)
        XCTAssertGreaterThanOrEqual(b.fuelKWh, fuelAtBurnOut)   // counters kept when the boiler stops
        XCTAssertGreaterThan(b.runHours, 0.5)
    }

    func testEfficiencyFallsWithReturnTemperatureAndAtLowLoad() {
        let hot = WoodChipBoiler.combustionEfficiency(load: 1, waterC: 90).efficiency
        let cool = WoodChipBoiler.combustionEfficiency(load: 1, waterC: 70).efficiency
        XCTAssertGreaterThan(cool, hot)
        XCTAssertGreaterThan(WoodChipBoiler.combustionEfficiency(load: 0.7, waterC: 80).efficiency,
                             WoodChipBoiler.combustionEfficiency(load: 0.05, waterC: 80).efficiency)
    }

    func testNoFuelTripsOnFuelShortage() {
        var b = WoodChipBoiler(spec: WoodChipBoilerSpec(nominalKW: 250, waterVolumeM3: 0.6), initialC: 60)
        b.step(dtS: 1, demand: true, modulation: 1, loopKgPerS: 0, loopReturnC: 60, fuelAvailable: true, roomC: 15)
        b.step(dtS: 1, demand: true, modulation: 1, loopKgPerS: 0, loopReturnC: 60, fuelAvailable: false, roomC: 15)
        XCTAssertEqual(b.state, .fault); XCTAssertEqual(b.fault, .fuelShortage)
    }

    func testGasBoilerEfficiencyOnLHVAndHHV() {
        var g = GasBoiler(nominalKW: 300, waterVolumeM3: 0.06, initialC: 40)
        for _ in 0..<3600 { g.step(dtS: 1, demand: true, modulation: 1, loopKgPerS: 4, loopReturnC: 40) }
        XCTAssertEqual(g.efficiency, 0.97 - 0.05 * 10 / 30, accuracy: 1e-9)
        XCTAssertEqual(g.fuelKWhHHV, g.fuelKWhLHV / 0.9, accuracy: 1e-9)
        XCTAssertEqual(g.fuelKWhLHV, 300 / g.efficiency, accuracy: 0.5)
    }

    func testSiloOrdersAndTipsTrucks() {
        let fuel = FuelProperties(bulkDensityTPerM3: 0.25, lhvMWhPerT: 3.52, moisture: 0.2, ash: 0.004)
        var s = Silo(grossVolumeM3: 236, reserveM3: 35.4, fuel: fuel,
                     policy: DeliveryPolicy(orderBelowM3: 90, leadTimeS: 3600, truckVolumeM3: 35, tippingTimeS: 1200, fillToM3: 176), initialM3: 100)
        XCTAssertEqual(s.withdraw(energyKWh: 880 * 20), 20, accuracy: 1e-9)   // 0.88 MWh/m³
        var t = 0.0
        for _ in 0..<(4 * 3600) { s.step(t: t, dtS: 1); t += 1 }
        XCTAssertEqual(s.trucksDelivered, 2)   // floor((176 − 80) / 35)
        XCTAssertEqual(s.levelM3, 150, accuracy: 1e-6)
        XCTAssertEqual(s.deliveredM3, 70, accuracy: 1e-6)
    }
}
