import Foundation
import PlantModel

/// Everything that changes the plant, or how it is served, in one typed form: a scenario's events,
/// clients' Modbus writes, the instructor's control API and command line, and the replay log all
/// speak it (Codable: the replay log and `POST /instructions` carry it as JSON). Devices are
/// named as the scenario names them (boiler and building ids, `plant`, `<building>.meter`).
public enum Instruction: Codable, Sendable, Equatable {
    /// A point written (a client's Modbus write): checked against the point catalogue.
    case write(device: String, point: String, value: Double)
    /// Acknowledge one alarm by id, or all (nil).
    case acknowledge(alarm: String?)
    /// Order a delivery of trucks of fuel, arriving now.
    case deliver(trucks: Int)
    /// The silo's automatic ordering switched on or off.
    case automaticOrders(Bool)
    /// A fault struck, and its repair (a boiler's: the reset once its cause is gone).
    case fault(Fault)
    case repair(Fault)
    /// The outdoor temperature held at a value (in force over a scenario event's duration).
    case holdOutdoor(C: Double)
    /// The instructor's hold of the outdoor temperature released: the weather again.
    case releaseOutdoor
    /// The daemon's clock: simulated seconds per wall second (0: paused).
    case speed(Double)

    /// What can fail in the plant or in its communication.
    public enum Fault: Codable, Sendable, Equatable {
        /// A wood-chip boiler trips on a fault (`BoilerFault.byName`); latched until reset.
        case boiler(id: String, fault: String)
        /// A wood-chip boiler forced out of service.
        case boilerOut(id: String)
        /// A gas boiler's burner locks out (flame failure); latched until reset.
        case gasLockout(id: String)
        /// A heat pump's source fails (`HeatPump.SourceFault`); its repair also resets a lockout.
        case heatPump(id: String, fault: String)
        /// A solar field's loop pump fails.
        case solarPump(id: String)
        /// A recovered-heat source trips (the process stops, the CHP shuts down).
        case recoveredTrip(id: String)
        case meter(building: String)
        case secondaryPump(building: String)
        case valveStuck(building: String)
        case networkPump
        /// The buffer's upper sensor gives no reading.
        case bufferSensor
        case leak(m3PerH: Double)
        /// The outdoor sensor fails (no reading) or drifts by `driftK`.
        case outdoorSensor(failed: Bool, driftK: Double)
        /// A Modbus unit's communication fails (applied by the daemon's server).
        case comm(unit: Int, mode: CommFaultMode)
    }

    /// Whether the instruction concerns the daemon rather than the simulated plant (it changes
    /// nothing a replay of the plant must redo).
    public var isDaemons: Bool {
        switch self {
        case .speed, .fault(.comm), .repair(.comm): true
        default: false
        }
    }

    /// The JSON text of the instruction (keys sorted: the same instruction, the same text).
    public var json: String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return (try? e.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}

/// How a unit's communication fails.
public enum CommFaultMode: Codable, Sendable, Equatable {
    case late(ms: Int), silent, exception04, exception06, drop, offline

    public static let names = "late, silent, exception04, exception06, drop or offline"

    /// The mode named `name` (`late` takes `delayMs`, 1–60,000 ms); throws a message naming what is wrong.
    public static func named(_ name: String, delayMs: () throws -> Int) throws -> CommFaultMode {
        switch name {
        case "late":
            let ms = try delayMs()
            guard (1...60_000).contains(ms) else { throw InstructionError(message: "delayMs is 1–60000") }
            return .late(ms: ms)
        case "silent": return .silent
        case "exception04": return .exception04
        case "exception06": return .exception06
        case "drop": return .drop
        case "offline": return .offline
        case let m: throw InstructionError(message: "mode is \(names), not '\(m)'")
        }
    }
}

/// A refused instruction: what is wrong with it.
public struct InstructionError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
