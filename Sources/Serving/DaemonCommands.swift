import Foundation
import PlantRecording
import SimulationCore
import Training
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
