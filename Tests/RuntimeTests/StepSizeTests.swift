import XCTest
import PlantRecording
import Reporting
import Serving
import SimulationCore
import Training
import Scenario

/// The physics steps `check` accepts (`ScenarioSpec.provenStepsS`) are those shown here to
/// integrate within 1 % of the 1 s reference: heat delivered, produced, fuel and network losses
/// over four January days. A step that fails this must leave the list (issue 10).
final class StepSizeTests: XCTestCase {
    func run(stepS: Double) throws -> RunReport {
        var spec = try ScenarioLoader.load(path: packagePath("Scenarios/wangenbourg-trace1.yaml"))
        spec.stepS = stepS
        spec.scanS = max(spec.scanS, stepS)
        var sim = Simulation(try PlantBuilder.build(spec, days: 4))
        sim.run(durationS: 4 * 86400)
        return RunReport(sim)
    }

    func testProvenStepsStayWithinOnePercentOfTheOneSecondReference() throws {
        let ref = try run(stepS: 1)
        for step in ScenarioSpec.provenStepsS where step != 1 {
            let r = try run(stepS: step)
            for (name, a, b) in [("heat delivered", r.heatDeliveredMWh, ref.heatDeliveredMWh), ("heat produced", r.heatProducedMWh, ref.heatProducedMWh),
                                 ("fuel", r.fuelBurnedMWhLHV, ref.fuelBurnedMWhLHV), ("network losses", r.networkLossesMWh, ref.networkLossesMWh)] {
                XCTAssertEqual(a, b, accuracy: 0.01 * abs(b), "\(name) at a \(step) s step: \(a) against \(b) at 1 s")
            }
            for (x, y) in zip(r.buildings, ref.buildings) {
                XCTAssertEqual(x.heatDeliveredMWh, y.heatDeliveredMWh, accuracy: 0.01 * y.heatDeliveredMWh, "\(x.id) at a \(step) s step")
            }
        }
    }

    func testCheckRefusesAnUnprovenStep() throws {
        let text = try String(contentsOfFile: packagePath("Scenarios/wangenbourg-trace1.yaml"), encoding: .utf8)
        let line = text.components(separatedBy: "\n").firstIndex { $0.contains("stepSeconds: 1") }! + 1
        XCTAssertThrowsError(try ScenarioLoader.parse(text: text.replacingOccurrences(of: "stepSeconds: 1\n", with: "stepSeconds: 20\n"), file: "s.yaml")) { e in
            XCTAssertTrue("\(e)".hasPrefix("s.yaml:\(line): simulation.stepSeconds: 20.0 s: the physics is shown"), "\(e)")
        }
    }
}
