import ArgumentParser
import Foundation
import Runtime
import Scenario

struct Chaufferie: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chaufferie",
        abstract: "A simulated district-heating plant: wood-chip boilers, heat network, substations.",
        subcommands: [Serve.self, Run.self, Check.self, Points.self])
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

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Runs the plant against the wall clock and serves every device over Modbus TCP.")
    @Argument(help: "Scenario file.") var scenario: String = "Scenarios/wangenbourg-trace1.yaml"
    @Option(help: "Address and port to listen on.") var listen: String = "127.0.0.1:1502"
    @Option(help: "Simulated seconds per wall second (1 = real time, 3600 = an hour a second).") var speed: Double = 1
    @Option(help: "Most Modbus connections at once (the one idle longest is closed beyond).") var maxConnections: Int = 64
    @Option(help: "Folder of the device profiles.") var profiles: String = "DeviceProfiles"
    @Option(help: "Days of weather to prepare (the run wraps around after them).") var days: Int = 366

    func validate() throws {
        guard speed > 0, speed <= 100_000 else { throw ValidationError("Please give a --speed between 0 (excluded) and 100000.") }
        guard (1...1000).contains(maxConnections) else { throw ValidationError("Please give --max-connections between 1 and 1000.") }
        guard parsedListen != nil else { throw ValidationError("Please give --listen as IPV4:PORT, for example 127.0.0.1:1502.") }
    }

    var parsedListen: (String, UInt16)? {
        let parts = listen.split(separator: ":")
        guard parts.count == 2, let p = UInt16(parts[1]) else { return nil }
        return (String(parts[0]), p)
    }

    func run() throws {
        do {
            let spec = try ScenarioLoader.load(path: scenario)
            let devices = try ServedDevices.resolve(spec, profilesDirectory: profiles)
            let sim = Simulation(try PlantBuilder.build(spec, days: days))
            let daemon = try Daemon(simulation: sim, devices: devices, speed: speed, maxConnections: maxConnections)
            let (host, port) = parsedListen!
            try daemon.listen(host: host, port: port)
            FileHandle.standardError.write(Data("chaufferie: serving \(devices.count) units of '\(spec.name)' on \(host):\(daemon.server.port) at speed \(speed)\n".utf8))
            let stop = StopFlag()
            signal(SIGINT, SIG_IGN); signal(SIGTERM, SIG_IGN); signal(SIGPIPE, SIG_IGN)
            let sources = [SIGINT, SIGTERM].map { sig -> DispatchSourceSignal in
                let s = DispatchSource.makeSignalSource(signal: sig, queue: .global())
                s.setEventHandler { stop.raise() }
                s.resume()
                return s
            }
            daemon.run(stop: stop)
            sources.forEach { $0.cancel() }
            FileHandle.standardError.write(Data("chaufferie: stopped at simulated time \(Int(daemon.simulation.timeS)) s\n".utf8))
        } catch let e as ScenarioError {
            throw ValidationError("\(e)")
        }
    }
}
