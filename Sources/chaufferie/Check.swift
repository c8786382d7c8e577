import ArgumentParser
import Foundation
import ModbusServer
import PlantRecording
import Reporting
import Serving
import SimulationCore
import Training
import Scenario
import PlantModel

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Checks a scenario file and prints what it describes.")
    @Argument(help: "Scenario file.") var scenario: String
    @Option(help: "Folder of the device profiles the scenario's modbus section names, checked too (default: DeviceProfiles/ beside the scenario's folder, else in it, else here).") var profiles: String?
    @Option(help: "A saved retentive memory (serve's --state file): checked against the scenario, as serve would restore it.") var state: String?

    func run() throws {
        do {
            let spec = try ScenarioLoader.load(path: scenario)
            let folder = profiles ?? ServedDevices.profilesDirectory(for: spec.file)
            let devices = try ServedDevices.resolve(spec, profilesDirectory: folder)
            let built = try PlantBuilder.build(spec, days: 1)
            if let st = state {
                var sim = Simulation(built)
                do { try sim.restore(fromFile: st) } catch { throw ValidationError("\(error)") }
                print("\(st): ok — the retentive memory at simulated time \(Int(sim.timeS)) s restores on this scenario")
            }
            print("\(scenario): ok — \(spec.name)")
            print("  \(devices.count) Modbus units with their profiles from \(folder)")
            print("  \(spec.buildings.count) buildings, \(spec.network.pipes.count) pipes (\(Int(built.plant.network.trenchLengthM)) m of trench), \(spec.boilerRoom.boilers.count) wood-chip boilers, \(spec.boilerRoom.gasBoilers.count) gas boilers, \(spec.boilerRoom.heatPumps.count) heat pumps, \(spec.events.count) events")
            for h in built.plant.heatPumps {
                let src = h.source
                print("  heat pump \(Int(h.nominalKW)) kW on \(src.kind.rawValue): COP \(h.designCOP) at \(h.designLeavingC) °C out = "
                      + String(format: "%.2f", h.carnotFraction) + " of Carnot" + ((0.45...0.65).contains(h.carnotFraction) ? "  " : "! ") + "[0.45–0.65, IEA HPT Annex 47]; source "
                      + String(format: "%.1f m³/h at %.1f °C, cooled %.1f K at design (limit %.1f K), %.0f kW from it; source pumps %.0f kW",
                               Water.flowM3PerH(massFlowKgPerS: src.designKgPerS), src.meanC, h.designCoolingK, src.maxCoolingK, h.designSourceKW, src.pumpKW))
            }
            print("  calibration (each parameter beside its published range for the building's use; ! = outside):")
            for (c, b) in zip(built.calibrations, spec.buildings) {
                let go = PublishedRanges.occupiedGainsWPerM2(b.use), gu = PublishedRanges.unoccupiedGainsWPerM2(b.use), gm = PublishedRanges.designMarginPercent
                func mark(_ ok: Bool) -> String { ok ? " " : "!" }
                let pad = "".padding(toLength: 18, withPad: " ", startingAt: 0)
                print("  " + c.id.padding(toLength: 16, withPad: " ", startingAt: 0)
                      + String(format: " UA %.3f kW/K (%.2f W/(m²·K)); design load %.0f kW implies %.3f: margin %+.0f %%",
                               c.heatLossKWPerK, c.heatLossKWPerK * 1000 / b.floorAreaM2, b.designLoadKW, c.designImpliedKWPerK, c.designMarginPercent)
                      + mark(c.marginPlausible) + String(format: " [%.0f–%.0f %%, ", gm.low, gm.high) + gm.source + "]")
                print(pad + String(format: "gains %.1f W/m² occupied", b.occupiedGainsWPerM2) + mark(go.contains(b.occupiedGainsWPerM2))
                      + String(format: " [%.0f–%.0f, ", go.low, go.high) + go.source + "]"
                      + String(format: ", %.1f unoccupied", b.unoccupiedGainsWPerM2) + mark(gu.contains(b.unoccupiedGainsWPerM2))
                      + String(format: " [%.1f–%.0f, ", gu.low, gu.high) + gu.source + "]"
                      + String(format: ", solar by month and daylight; set-points %.0f/%.0f °C; DHW %.1f MWh", b.heating.comfortRoomC, b.heating.reducedRoomC, c.dhwEstimateMWh))
            }
        } catch let e as ScenarioError {
            throw ValidationError("\(e)")
        } catch let e as CalibrationError {
            throw ValidationError("\(scenario): \(e)")
        }
    }
}

/// A progress bar on the terminal's standard error, only when it is a terminal.
final class ProgressBar: @unchecked Sendable {
    let enabled: Bool
    private var last = -1
    init(enabled: Bool) { self.enabled = enabled }
    func show(_ f: Double) {
        guard enabled else { return }
        let pct = Int(f * 100)
        if pct == last { return }
        last = pct
        let n = pct * 40 / 100
        FileHandle.standardError.write(Data("\r[\(String(repeating: "#", count: n))\(String(repeating: ".", count: 40 - n))] \(pct) %".utf8))
    }
    func finish() { if enabled { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) } }
}
