import XCTest
import PlantRecording
import Reporting
import Serving
import SimulationCore
import Training
import PlantModel

/// The plant's energy bookkeeping closes: heat released by combustion = heat taken by the
/// substations + network losses + buffer and boiler shell losses + change of the heat stored in
/// boilers, buffer, header and pipes. Run over three winter days in which every part works
/// (ignitions, staging, buffer cycles, DHW charging, night setback).
final class EnergyBalanceTests: XCTestCase {
    func testBalanceClosesOverThreeWinterDays() throws {
        let (r, sim) = try runScenario("Scenarios/wangenbourg-trace1.yaml", durationS: 3 * 86400)
        XCTAssertGreaterThan(r.combustionHeatMWh, 5)
        XCTAssertEqual(r.balanceResidualMWh, 0, accuracy: 1e-6 * r.combustionHeatMWh)
        // what the fuel carried: fuel × combustion efficiency is the combustion heat
        XCTAssertGreaterThan(r.fuelBurnedMWhLHV, r.combustionHeatMWh)
        XCTAssertEqual(r.combustionHeatMWh / r.fuelBurnedMWhLHV, 0.88, accuracy: 0.04)
        // the silo lost the volume of the fuel burned
        XCTAssertEqual(sim.plant.silo.withdrawnM3, r.fuelBurnedM3, accuracy: 1e-6 * r.fuelBurnedM3)
        // heat meters agree with the physics within their EN 1434 property model (≤ 0.5 %)
        XCTAssertEqual(r.heatDeliveredMWh, r.heatDeliveredPhysicsMWh, accuracy: 0.005 * r.heatDeliveredPhysicsMWh)
        // the plant's output meter = delivered + network losses + change of heat in the pipes
        XCTAssertGreaterThan(r.heatProducedMWh, r.heatDeliveredPhysicsMWh)
    }

    /// Same seed, same run, bit for bit; another seed, other weather.
    func testDeterminism() throws {
        let (a, _) = try runScenario("Scenarios/wangenbourg-trace1.yaml", durationS: 86400)
        let (b, _) = try runScenario("Scenarios/wangenbourg-trace1.yaml", durationS: 86400)
        let (c, _) = try runScenario("Scenarios/wangenbourg-trace1.yaml", durationS: 86400, seed: 99)
        XCTAssertEqual(try a.jsonText(), try b.jsonText())
        XCTAssertNotEqual(a.heatingDegreeDays, c.heatingDegreeDays)
        XCTAssertNotEqual(try a.jsonText(), try c.jsonText())
    }
}
