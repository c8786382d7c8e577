import ArgumentParser
import Foundation
import Runtime
import Scenario

struct Chaufferie: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chaufferie",
        abstract: "A simulated district-heating plant: wood-chip boilers, heat network, substations.",
        subcommands: [Run.self, Check.self, Points.self])
}

/// A duration like 365d, 12h, 90m or 3600s.
struct Duration: ExpressibleByArgument {
    let seconds: Double
    init?(argument: String) {
        let units: [Character: Double] = ["d": 86400, "h": 3600, "m": 60, "s": 1]
        guard let u = argument.last, let f = units[u], let v = Double(argument.dropLast()), v > 0, v <= 3650 * 86400 / f else { return nil }
        seconds = v * f
    }
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Runs a scenario as fast as the machine can and prints its energy balance.")
    @Argument(help: "Scenario file.") var scenario: String = "Scenarios/wangenbourg-trace1.yaml"
    @Option(help: "How long to simulate: 365d, 72h, 90m, 3600s.") var duration: Duration = Duration(argument: "365d")!
    @Option(help: "Run this long first and leave it out of the figures (settling), e.g. 1d.") var warmUp: Duration?
    @Option(help: "Seed of the synthetic weather (default: the scenario's).") var seed: UInt64?
    @Flag(help: "Print one JSON object for scripts instead of the table.") var json = false
    @Option(help: "Also write the hourly means (outdoor, heat sent into the network, boiler output) to this CSV file.") var hourly: String?

    func run() throws {
        do {
            var spec = try ScenarioLoader.load(path: scenario)
            if let s = seed { spec.seed = s }
            let warm = warmUp?.seconds ?? 0
            let days = Int(((duration.seconds + warm) / 86400).rounded(.up))
            let built = try PlantBuilder.build(spec, days: days)
            var sim = Simulation(built)
            let bar = ProgressBar(enabled: isatty(STDERR_FILENO) == 1)
            if warm > 0 {
                sim.run(durationS: warm) { bar.show($0 * warm / (warm + duration.seconds)) }
                sim.resetStatistics()
            }
            sim.run(durationS: duration.seconds) { bar.show((warm + $0 * duration.seconds) / (warm + duration.seconds)) }
            bar.finish()
            let report = RunReport(sim)
            if let path = hourly {
                guard FileManager.default.createFile(atPath: path, contents: Data(sim.statistics.hourlyCSV.utf8)) else {
                    throw ValidationError("--hourly: cannot write \(path)")
                }
            }
            print(json ? try report.jsonText() : report.text)
        } catch let e as ScenarioError {
            throw ValidationError("\(e)")
        } catch let e as CalibrationError {
            throw ValidationError("\(scenario): \(e)")
        }
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Checks a scenario file and prints what it describes.")
    @Argument(help: "Scenario file.") var scenario: String

    func run() throws {
        do {
            let spec = try ScenarioLoader.load(path: scenario)
            let built = try PlantBuilder.build(spec, days: 1)
            print("\(scenario): ok — \(spec.name)")
            print("  \(spec.buildings.count) buildings, \(spec.network.pipes.count) pipes (\(Int(built.plant.network.trenchLengthM)) m of trench), \(spec.boilerRoom.boilers.count) wood-chip boilers, \(spec.boilerRoom.gasBoilers.count) gas boilers, \(spec.events.count) events")
            for (c, b) in zip(built.calibrations, spec.buildings) {
                print("  " + c.id.padding(toLength: 16, withPad: " ", startingAt: 0) + String(format: " UA %.3f kW/K (design load implies %.3f: margin %+.0f %%), free heat %.1f kW (%.1f W/m²), DHW %.1f MWh", c.heatLossKWPerK, c.designImpliedKWPerK, c.designMarginPercent, c.freeHeatKW, c.freeHeatKW * 1000 / b.floorAreaM2, c.dhwEstimateMWh))
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

struct Points: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Prints the Modbus point list of a scenario: every register of every unit.")
    @Argument(help: "Scenario file.") var scenario: String = "Scenarios/wangenbourg-trace1.yaml"
    @Option(help: "md or csv.") var format: String = "md"
    @Option(help: "Folder of the device profiles.") var profiles: String = "DeviceProfiles"

    func validate() throws {
        guard format == "md" || format == "csv" else { throw ValidationError("Please give --format md or --format csv.") }
    }

    func run() throws {
        do {
            let spec = try ScenarioLoader.load(path: scenario)
            let devices = try ServedDevices.resolve(spec, profilesDirectory: profiles)
            print(ServedDevices.pointList(devices, format: format), terminator: "")
        } catch let e as ScenarioError {
            throw ValidationError("\(e)")
        }
    }
}
