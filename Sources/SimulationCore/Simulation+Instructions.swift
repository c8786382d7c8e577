import Foundation
import PlantControl
import PlantModel

/// Why an instructor's command was refused.
public struct APIError: Error, CustomStringConvertible {
    public let message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
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
