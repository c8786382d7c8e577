import Foundation
import Historian
import ModbusServer
import PlantControl
import PlantModel

/// The instructor's commands (from the control API, or read back by `chaufferie replay`),
/// carried out between two batches of steps: the daemon's own (speed, communication faults,
/// reading) and those that change the simulated plant.
extension Daemon {
    /// Carries out the instructor's commands (on the daemon's thread, between two batches).
    /// Those that change the plant are recorded with what `chaufferie replay` needs.
    /// Returns true when a command was carried out (or refused): what is served may have changed.
    @discardableResult
    func applyAPICommands() -> Bool {
        guard let api else { return false }
        let commands = api.take()
        for (c, answer) in commands {
            do {
                let step = simulation.stepIndex
                let (json, changedPlant) = try carryOut(c)
                if c.path != "/alarms" && c.path != "/status" {
                    let replay = changedPlant ? ReplayRecord(step: step, api: .init(path: c.path, body: c.body)).json : nil
                    recording?.note(HistorianEvent(t: simulation.timeS, kind: "api", source: c.client, tag: c.path,
                                                   text: c.body.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "),
                                                   replay: replay))
                }
                answer(200, json)
            } catch {
                answer(400, "{\"error\": \(Self.jsonString("\(error)"))}")
            }
        }
        return !commands.isEmpty
    }

    static func jsonString(_ s: String) -> String {
        let d = try? JSONSerialization.data(withJSONObject: [s], options: [])
        return d.map { String(decoding: $0.dropFirst().dropLast(), as: UTF8.self) } ?? "\"\""
    }

    /// The answer to a command, and whether it changed the simulated plant (the rest — the
    /// speed, communication faults, reading — touch only the daemon).
    private func carryOut(_ c: ControlAPI.Command) throws -> (String, Bool) {
        func need(_ k: String) throws -> String {
            guard let v = c.body[k] else { throw APIError(message: "\(c.path): field '\(k)' is missing") }
            return v
        }
        switch c.path {
        case "/status":
            return ("{\"timeS\": \(simulation.timeS), \"speed\": \(speed), \"scenario\": \(Self.jsonString(simulation.spec.name))}", false)
        case "/alarms":
            let a = simulation.controller.alarms
            let items = a.definitions.indices.map { i in
                "{\"id\": \(Self.jsonString(a.definitions[i].id)), \"state\": \(Self.jsonString("\(a.states[i])")), \"priority\": \(Self.jsonString("\(a.definitions[i].priority)")), \"message\": \(Self.jsonString(a.definitions[i].message))}"
            }
            return ("[" + items.joined(separator: ", ") + "]", false)
        case "/speed":
            guard let s = Double(try need("speed")), s >= 0, s <= 100_000 else { throw APIError(message: "speed is between 0 (paused) and 100000") }
            speed = s
            return ("{\"speed\": \(s)}", false)
        case "/faults" where c.body["kind"] == "commFault", "/faults/clear" where c.body["kind"] == "commFault":
            guard let u = Int(try need("unit")), (1...247).contains(u) else { throw APIError(message: "unit is 1–247") }
            if c.path == "/faults/clear" { server.setCommFault(unit: UInt8(u), nil) } else {
                let f: CommFault
                switch try need("mode") {
                case "late":
                    guard let ms = Int(try need("delayMs")), (1...60_000).contains(ms) else { throw APIError(message: "delayMs is 1–60000") }
                    f = .late(ms: ms)
                case "silent": f = .silent
                case "exception04": f = .exception(.deviceFailure)
                case "exception06": f = .exception(.busy)
                case "drop": f = .dropConnection
                case "offline": f = .offline
                case let m: throw APIError(message: "mode is late, silent, exception04, exception06, drop or offline, not '\(m)'")
                }
                server.setCommFault(unit: UInt8(u), f)
            }
            return (#"{"ok": true}"#, false)
        default:
            return (try simulation.carryOut(instruction: c.path, body: c.body), true)
        }
    }
}

extension Simulation {
    /// The instructor's commands that change the plant (from the control API, or read back by
    /// `chaufferie replay`): acknowledge alarms, order a delivery, inject or clear a fault.
    /// Returns the JSON answer; throws, changing nothing, on a bad command.
    public mutating func carryOut(instruction path: String, body: [String: String]) throws -> String {
        func need(_ k: String) throws -> String {
            guard let v = body[k] else { throw APIError(message: "\(path): field '\(k)' is missing") }
            return v
        }
        func boiler() throws -> Int {
            let id = try need("boiler")
            guard let i = spec.boilerRoom.boilers.firstIndex(where: { $0.id == id }) else { throw APIError(message: "no boiler '\(id)'") }
            return i
        }
        func building() throws -> Int {
            let id = try need("building")
            guard let i = spec.buildings.firstIndex(where: { $0.id == id }) else { throw APIError(message: "no building '\(id)'") }
            return i
        }
        switch path {
        case "/alarms/ack":
            if let id = body["id"] {
                guard let i = controller.alarms.index(of: id) else { throw APIError(message: "no alarm '\(id)'") }
                acknowledgeAlarm(i)
            } else {
                acknowledgeAllAlarms()
            }
            return #"{"ok": true}"#
        case "/deliver":
            guard let n = Int(try need("trucks")), (1...50).contains(n) else { throw APIError(message: "trucks is 1–50") }
            orderDelivery(trucks: n)
            return "{\"ordered\": \(n)}"
        case "/faults", "/faults/clear":
            let on = path == "/faults"
            switch try need("kind") {
            case "boilerFault":
                let i = try boiler()
                if on {
                    let f = try need("fault")
                    guard let fault = BoilerFault.byName[f] else {
                        throw APIError(message: "unknown fault '\(f)'; faults are \(BoilerFault.byName.keys.sorted().joined(separator: ", "))")
                    }
                    injectBoilerFault(i, fault)
                } else {
                    try writeTag(.woodChipBoiler, i, WoodChipBoilerPoints.Name.reset, 1)
                }
            case "meterFault": setMeterFailed(try building(), on)
            case "secondaryPumpFault": setSecondaryPumpFailed(try building(), on)
            case "valveStuck": setValveStuck(try building(), on)
            case "networkPumpFault": setNetworkPumpFailed(on)
            case "bufferSensor": setBufferSensorFailed(on)
            case "leak":
                if !on { setLeak(m3PerH: 0) } else {
                    guard let q = Double(try need("m3PerH")), q > 0, q <= 50 else { throw APIError(message: "m3PerH is above 0 and at most 50") }
                    setLeak(m3PerH: q)
                }
            case "outdoorSensor":
                if !on { setOutdoorSensorFault(nil) } else {
                    switch try need("mode") {
                    case "failed": setOutdoorSensorFault((true, 0))
                    case "drift":
                        guard let d = Double(try need("driftK")), (-20...20).contains(d) else { throw APIError(message: "driftK is −20…20 K") }
                        setOutdoorSensorFault((false, d))
                    case let m: throw APIError(message: "mode is failed or drift, not '\(m)'")
                    }
                }
            case let k:
                throw APIError(message: "kind is boilerFault, meterFault, secondaryPumpFault, valveStuck, networkPumpFault, bufferSensor, leak, outdoorSensor or commFault, not '\(k)'")
            }
            return #"{"ok": true}"#
        default:
            throw APIError(message: "no such resource")
        }
    }
}
