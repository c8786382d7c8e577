import Foundation
import Runtime
import Scenario

func packagePath(_ relative: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(relative).path
}

/// Runs a scenario as `chaufferie run` does: optional warm-up left out of the figures.
func runScenario(_ path: String, warmUpS: Double = 0, durationS: Double, seed: UInt64? = nil) throws -> (RunReport, Simulation) {
    var spec = try ScenarioLoader.load(path: packagePath(path))
    if let s = seed { spec.seed = s }
    let days = Int(((warmUpS + durationS) / 86400).rounded(.up))
    var sim = Simulation(try PlantBuilder.build(spec, days: days))
    if warmUpS > 0 { sim.run(durationS: warmUpS); sim.resetStatistics() }
    sim.run(durationS: durationS)
    return (RunReport(sim), sim)
}
