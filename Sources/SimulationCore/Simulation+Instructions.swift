import Foundation
import PlantControl
import PlantModel
import Scenario

/// Why an instructor's command was refused.
public struct APIError: Error, CustomStringConvertible {
    public let message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}

extension Instruction {
    /// The instruction a control API request carries (`POST path` with a flat JSON body), as
    /// the command line sends it; throws naming the missing or wrong field.
    public static func parse(path: String, body: [String: String]) throws -> Instruction {
        func need(_ k: String) throws -> String {
            guard let v = body[k] else { throw APIError(message: "\(path): field '\(k)' is missing") }
            return v
        }
        switch path {
        case "/alarms/ack": return .acknowledge(alarm: body["id"])
        case "/outdoor":
            if body["release"] != nil { return .releaseOutdoor }
            guard let c = Double(try need("C")), (-50...50).contains(c) else { throw APIError(message: "C is the outdoor temperature to hold, −50…50 °C (or release: 1)") }
            return .holdOutdoor(C: c)
        case "/deliver":
            guard let n = Int(try need("trucks")), (1...50).contains(n) else { throw APIError(message: "trucks is 1–50") }
            return .deliver(trucks: n)
        case "/speed":
            guard let s = Double(try need("speed")), s >= 0, s <= 100_000 else { throw APIError(message: "speed is between 0 (paused) and 100000") }
            return .speed(s)
        case "/write":
            guard let v = Double(try need("value")) else { throw APIError(message: "value is a number") }
            return .write(device: try need("device"), point: try need("point"), value: v)
        case "/faults", "/faults/clear":
            let on = path == "/faults"
            let f: Fault
            switch try need("kind") {
            case "boilerFault": f = .boiler(id: try need("boiler"), fault: on ? try need("fault") : "")
            case "boilerOut": f = .boilerOut(id: try need("boiler"))
            case "gasLockout": f = .gasLockout(id: try need("boiler"))
            case "heatPumpFault": f = .heatPump(id: try need("heatPump"), fault: try need("fault"))
            case "solarPumpFault": f = .solarPump(id: try need("source"))
            case "recoveredTrip": f = .recoveredTrip(id: try need("source"))
            case "meterFault": f = .meter(building: try need("building"))
            case "secondaryPumpFault": f = .secondaryPump(building: try need("building"))
            case "valveStuck": f = .valveStuck(building: try need("building"))
            case "networkPumpFault": f = .networkPump
            case "bufferSensor": f = .bufferSensor
            case "leak":
                var q = 0.0
                if on {
                    guard let v = Double(try need("m3PerH")), v > 0, v <= 50 else { throw APIError(message: "m3PerH is above 0 and at most 50") }
                    q = v
                }
                f = .leak(m3PerH: q)
            case "outdoorSensor":
                var (failed, drift) = (true, 0.0)
                if on {
                    switch try need("mode") {
                    case "failed": break
                    case "drift":
                        guard let d = Double(try need("driftK")), (-20...20).contains(d) else { throw APIError(message: "driftK is −20…20 K") }
                        (failed, drift) = (false, d)
                    case let m: throw APIError(message: "mode is failed or drift, not '\(m)'")
                    }
                }
                f = .outdoorSensor(failed: failed, driftK: drift)
            case "commFault":
                guard let u = Int(try need("unit")), (1...247).contains(u) else { throw APIError(message: "unit is 1–247") }
                var mode = CommFaultMode.offline
                if on {
                    do { mode = try CommFaultMode.named(try need("mode")) { Int(try need("delayMs")) ?? 0 } } catch let e as InstructionError { throw APIError(message: e.message) }
                }
                f = .comm(unit: u, mode: mode)
            case let k:
                throw APIError(message: "kind is boilerFault, boilerOut, gasLockout, heatPumpFault, solarPumpFault, recoveredTrip, meterFault, secondaryPumpFault, valveStuck, networkPumpFault, bufferSensor, leak, outdoorSensor or commFault, not '\(k)'")
            }
            return on ? .fault(f) : .repair(f)
        default:
            throw APIError(message: "no such resource")
        }
    }
}

extension Simulation {
    /// The one place an instruction to the plant is carried out, whoever gives it (a scenario's
    /// event, a client's Modbus write, the control API, the command line, a replay). Throws,
    /// changing nothing, when it is refused. `arrivalS`: when a delivery arrives (default now).
    /// The daemon's instructions (speed, communication faults) are refused here.
    public mutating func apply(_ instruction: Instruction, catalogue: Catalogue = .standard, arrivalS: Double? = nil) throws {
        func refuse(_ m: String) -> APIError { APIError(message: m) }
        func boiler(_ id: String) throws -> Int {
            guard let i = spec.boilerRoom.boilers.firstIndex(where: { $0.id == id }) else { throw refuse("no boiler '\(id)'") }
            return i
        }
        func building(_ id: String) throws -> Int {
            guard let i = spec.buildings.firstIndex(where: { $0.id == id }) else { throw refuse("no building '\(id)'") }
            return i
        }
        switch instruction {
        case let .write(device, point, value):
            guard let (type, d) = catalogue.device(device, in: spec) else { throw refuse("no device '\(device)'") }
            try write(type, d.index, point, value, catalogue: catalogue)
        case let .acknowledge(id):
            if let id {
                guard let i = controller.alarms.index(of: id) else { throw refuse("no alarm '\(id)'") }
                acknowledgeAlarm(i)
            } else {
                acknowledgeAllAlarms()
            }
        case let .deliver(n):
            guard (1...50).contains(n) else { throw refuse("trucks is 1–50") }
            orderDelivery(trucks: n, arrivalS: arrivalS ?? timeS)
        case let .automaticOrders(on): plant.silo.policy.automatic = on
        case let .holdOutdoor(c):
            // the instructor's hold (a scenario's holds are its events, over their durations)
            guard (-50...50).contains(c) else { throw refuse("the outdoor temperature is held between −50 and 50 °C") }
            heldOutdoorC = c
        case .releaseOutdoor: heldOutdoorC = nil
        case .speed, .fault(.comm), .repair(.comm): throw refuse("the daemon's instruction, not the plant's")
        case let .fault(f), let .repair(f):
            let on: Bool
            if case .fault = instruction { on = true } else { on = false }
            switch f {
            case let .boiler(id, name):
                let i = try boiler(id)
                if on {
                    guard let fault = BoilerFault.byName[name] else {
                        throw refuse("unknown fault '\(name)'; faults are \(BoilerFault.byName.keys.sorted().joined(separator: ", "))")
                    }
                    injectBoilerFault(i, fault)
                } else {
                    try write(DeviceKind.woodChipBoiler.type, i, WoodChipBoilerPoints.Name.reset, 1)
                }
            case let .boilerOut(id): controller.cascade.disabled[try boiler(id)] = on
            case let .gasLockout(id):
                guard let i = spec.boilerRoom.gasBoilers.firstIndex(where: { $0.id == id }) else { throw refuse("no gas boiler '\(id)'") }
                if on { plant.gasBoilers[i].available = false } else { try write(DeviceKind.gasBoiler.type, i, GasBoilerPoints.Name.reset, 1) }
            case let .heatPump(id, name):
                guard let i = spec.boilerRoom.heatPumps.firstIndex(where: { $0.id == id }) else { throw refuse("no heat pump '\(id)'") }
                guard let fault = HeatPump.SourceFault(rawValue: name) else {
                    throw refuse("unknown source fault '\(name)'; they are \(HeatPump.SourceFault.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                plant.heatPumps[i].setFault(fault, on)
                if !on && !plant.heatPumps[i].available { try write(DeviceKind.heatPump.type, i, HeatPumpPoints.Name.reset, 1) }
            case let .solarPump(id):
                guard let i = spec.boilerRoom.solarFields.firstIndex(where: { $0.id == id }) else { throw refuse("no solar field '\(id)'") }
                plant.solarFields[i].pumpFailed = on
            case let .recoveredTrip(id):
                guard let i = spec.boilerRoom.recoveredHeat.firstIndex(where: { $0.id == id }) else { throw refuse("no recovered-heat source '\(id)'") }
                plant.recovered[i].tripped = on
            case let .meter(b): setMeterFailed(try building(b), on)
            case let .secondaryPump(b): setSecondaryPumpFailed(try building(b), on)
            case let .valveStuck(b): setValveStuck(try building(b), on)
            case .networkPump: setNetworkPumpFailed(on)
            case .bufferSensor: setBufferSensorFailed(on)
            case let .leak(q):
                guard !on || (q > 0 && q <= 50) else { throw refuse("m3PerH is above 0 and at most 50") }
                setLeak(m3PerH: on ? q : 0)
            case let .outdoorSensor(failed, drift):
                guard (-20...20).contains(drift) else { throw refuse("driftK is −20…20 K") }
                setOutdoorSensorFault(on ? (failed, drift) : nil)
            case .comm: break   // refused above
            }
        }
    }
}
