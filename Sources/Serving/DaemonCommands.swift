import Foundation
import Scenario
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
        let commands = (api?.take() ?? []) + (web?.take() ?? [])
        for (c, answer) in commands {
            do {
                let step = simulation.stepIndex
                let (json, changedPlant) = try carryOut(c)
                if c.path != "/alarms" && c.path != "/status" {
                    let replay = changedPlant.map { ReplayRecord(step: step, instruction: $0).json }
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

    /// The answer to a command, and the instruction when it changed the simulated plant (the
    /// rest — the speed, communication faults, reading — touch only the daemon).
    private func carryOut(_ c: ControlAPI.Command) throws -> (String, Instruction?) {
        switch c.path {
        case "/status":
            return ("{\"timeS\": \(simulation.timeS), \"speed\": \(speed), \"scenario\": \(Self.jsonString(simulation.spec.name))}", nil)
        case "/alarms":
            let a = simulation.controller.alarms
            let items = a.definitions.indices.map { i in
                "{\"id\": \(Self.jsonString(a.definitions[i].id)), \"state\": \(Self.jsonString("\(a.states[i])")), \"priority\": \(Self.jsonString("\(a.definitions[i].priority)")), \"message\": \(Self.jsonString(a.definitions[i].message))}"
            }
            return ("[" + items.joined(separator: ", ") + "]", nil)
        default:
            let i = try Instruction.parse(path: c.path, body: c.body)
            let (json, changedPlant) = try carryOut(i)
            return (json, changedPlant ? i : nil)
        }
    }

    /// Carries out an instruction: the daemon's own (speed, communication faults) here, the
    /// plant's by the simulation. Returns the JSON answer and whether the plant changed.
    func carryOut(_ i: Instruction) throws -> (String, Bool) {
        switch i {
        case let .speed(s):
            speed = s
            return ("{\"speed\": \(s)}", false)
        case let .fault(.comm(unit, mode)):
            server.setCommFault(unit: UInt8(unit), Self.commFault(mode))
            return (#"{"ok": true}"#, false)
        case let .repair(.comm(unit, _)):
            server.setCommFault(unit: UInt8(unit), nil)
            return (#"{"ok": true}"#, false)
        default:
            try simulation.apply(i, catalogue: catalogue)
            if case let .deliver(n) = i { return ("{\"ordered\": \(n)}", true) }
            return (#"{"ok": true}"#, true)
        }
    }

    /// How the server fails a unit's communication in `mode`.
    static func commFault(_ mode: CommFaultMode) -> CommFault {
        switch mode {
        case let .late(ms): .late(ms: ms)
        case .silent: .silent
        case .exception04: .exception(.deviceFailure)
        case .exception06: .exception(.busy)
        case .drop: .dropConnection
        case .offline: .offline
        }
    }
}
