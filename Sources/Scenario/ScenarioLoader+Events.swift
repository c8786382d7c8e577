import Foundation
import YAMLFile
import Yams
import PlantModel
import PlantControl

/// The scenario's events and its Modbus bindings.
extension ScenarioLoader {
    static func events(_ n: YNode, start: CivilDate, boilers: [String], gasBoilers: [String] = [], heatPumps: [String] = [],
                       solarFields: [String] = [], recovered: [String] = [], buildings: [String]) throws -> [ScenarioEvent] {
        var out: [ScenarioEvent] = []
        for item in try n.list() {
            let m = try item.map(allowed: ["at", "durationHours", "holdOutdoorC", "boilerOut", "deliveryTrucks", "boilerFault", "fault", "automaticOrders",
                                                 "expectAlarms", "withinMinutes", "outdoorSensor", "driftK", "bufferSensor", "leakM3PerH",
                                                 "commFault", "mode", "delayMs", "meterFault", "secondaryPumpFault", "valveStuck", "networkPumpFault", "gasLockout", "heatPumpFault", "sourceFault", "solarPumpFault", "recoveredTrip"])
            let atN = try m.required("at")
            let s = try atN.asString()
            guard let hours = WeatherImport.parseTimestampHours(s, start: start) else { throw atN.fail("expected YYYY-MM-DDTHH:MM, found '\(s)'") }
            if hours < 0 { throw atN.fail("before the scenario's start \(start)") }
            let dur = try m.double("durationHours", default: 0, 0...87600, unit: "h") * 3600
            var kinds: [Instruction] = []
            if let h = m.optional("holdOutdoorC") { kinds.append(.holdOutdoor(C: try h.asDouble(-50...50, unit: "°C"))) }
            if let b = m.optional("boilerOut") {
                let id = try b.asString()
                guard boilers.contains(id) else { throw b.fail("no boiler '\(id)'; boilers are \(boilers.joined(separator: ", "))") }
                kinds.append(.fault(.boilerOut(id: id)))
            }
            if let g = m.optional("gasLockout") {
                let id = try g.asString()
                guard gasBoilers.contains(id) else { throw g.fail("no gas boiler '\(id)'; gas boilers are \(gasBoilers.isEmpty ? "none" : gasBoilers.joined(separator: ", "))") }
                kinds.append(.fault(.gasLockout(id: id)))
            }
            if let h = m.optional("heatPumpFault") {
                let id = try h.asString()
                guard heatPumps.contains(id) else { throw h.fail("no heat pump '\(id)'; heat pumps are \(heatPumps.isEmpty ? "none" : heatPumps.joined(separator: ", "))") }
                let fn = try m.required("sourceFault")
                let f = try fn.asString()
                guard HeatPump.SourceFault(rawValue: f) != nil else {
                    throw fn.fail("unknown source fault '\(f)'; they are \(HeatPump.SourceFault.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                kinds.append(.fault(.heatPump(id: id, fault: f)))
            } else if let f = m.optional("sourceFault") {
                throw f.fail("sourceFault goes with heatPumpFault: the heat pump it strikes")
            }
            if let sp = m.optional("solarPumpFault") {
                let id = try sp.asString()
                guard solarFields.contains(id) else { throw sp.fail("no solar field '\(id)'; solar fields are \(solarFields.isEmpty ? "none" : solarFields.joined(separator: ", "))") }
                kinds.append(.fault(.solarPump(id: id)))
            }
            if let rt = m.optional("recoveredTrip") {
                let id = try rt.asString()
                guard recovered.contains(id) else { throw rt.fail("no recovered-heat source '\(id)'; they are \(recovered.isEmpty ? "none" : recovered.joined(separator: ", "))") }
                kinds.append(.fault(.recoveredTrip(id: id)))
            }
            if let d = m.optional("deliveryTrucks") { kinds.append(.deliver(trucks: try d.asInt(1...50))) }
            if let b = m.optional("boilerFault") {
                let id = try b.asString()
                guard boilers.contains(id) else { throw b.fail("no boiler '\(id)'; boilers are \(boilers.joined(separator: ", "))") }
                let fn = try m.required("fault")
                let names = BoilerFault.byName
                let f = try fn.asString()
                guard names[f] != nil else { throw fn.fail("unknown fault '\(f)'; faults are \(names.keys.sorted().joined(separator: ", "))") }
                kinds.append(.fault(.boiler(id: id, fault: f)))
            } else if let f = m.optional("fault") {
                throw f.fail("fault goes with boilerFault: the boiler it strikes")
            }
            if let a = m.optional("automaticOrders") { kinds.append(.automaticOrders(try a.asBool())) }
            if let o = m.optional("outdoorSensor") {
                switch try o.asString() {
                case "failed": kinds.append(.fault(.outdoorSensor(failed: true, driftK: 0)))
                case "drift": kinds.append(.fault(.outdoorSensor(failed: false, driftK: try m.double("driftK", -20...20, unit: "K"))))
                case let other: throw o.fail("outdoorSensor is 'failed' or 'drift', found '\(other)'")
                }
            } else if let d = m.optional("driftK") {
                throw d.fail("driftK goes with outdoorSensor: drift")
            }
            if let mf = m.optional("meterFault") {
                let id = try mf.asString()
                guard buildings.contains(id) else { throw mf.fail("no building '\(id)'; buildings are \(buildings.joined(separator: ", "))") }
                kinds.append(.fault(.meter(building: id)))
            }
            if let pf = m.optional("secondaryPumpFault") {
                let id = try pf.asString()
                guard buildings.contains(id) else { throw pf.fail("no building '\(id)'; buildings are \(buildings.joined(separator: ", "))") }
                kinds.append(.fault(.secondaryPump(building: id)))
            }
            if let vs = m.optional("valveStuck") {
                let id = try vs.asString()
                guard buildings.contains(id) else { throw vs.fail("no building '\(id)'; buildings are \(buildings.joined(separator: ", "))") }
                kinds.append(.fault(.valveStuck(building: id)))
            }
            if let np = m.optional("networkPumpFault") {
                guard try np.asBool() else { throw np.fail("networkPumpFault: true (the pump fails for the event's duration)") }
                kinds.append(.fault(.networkPump))
            }
            if m.optional("leakM3PerH") != nil {
                kinds.append(.fault(.leak(m3PerH: try m.double("leakM3PerH", 0.001...50, unit: "m³/h"))))
            }
            if let bs = m.optional("bufferSensor") {
                guard try bs.asString() == "failed" else { throw bs.fail("bufferSensor: failed (the upper buffer sensor gives no reading for the event's duration)") }
                kinds.append(.fault(.bufferSensor))
            }
            if let c = m.optional("commFault") {
                let unit = try c.asInt(1...247)
                let mn = try m.required("mode")
                let mode: CommFaultMode
                do { mode = try CommFaultMode.named(try mn.asString()) { try m.int("delayMs", 1...60_000) } } catch let e as InstructionError { throw mn.fail(e.message) }
                kinds.append(.fault(.comm(unit: unit, mode: mode)))
            }
            guard kinds.count == 1 else { throw item.fail("an event does exactly one thing: holdOutdoorC, boilerOut, gasLockout, heatPumpFault, solarPumpFault, recoveredTrip, deliveryTrucks, boilerFault, automaticOrders, outdoorSensor, bufferSensor, leakM3PerH, commFault, meterFault, secondaryPumpFault, valveStuck or networkPumpFault") }
            if case .holdOutdoor = kinds[0], dur <= 0 { throw item.fail("holdOutdoorC needs durationHours") }
            var event = ScenarioEvent(instruction: kinds[0], atS: Double(hours) * 3600, durationS: dur, line: item.line)
            if let ex = m.optional("expectAlarms") {
                event.expectAlarms = try ex.list().map { try $0.asString() }
                event.expectWithinS = try m.double("withinMinutes", 1...100_000, unit: "min") * 60
            } else if let w = m.optional("withinMinutes") {
                throw w.fail("withinMinutes goes with expectAlarms")
            }
            out.append(event)
        }
        return out
    }

    static func modbus(_ n: YNode, devices: [String]) throws -> [ModbusBinding] {
        let m = try n.map(allowed: ["units"])
        var out: [ModbusBinding] = []
        for item in try m.required("units").list() {
            let u = try item.map(allowed: ["unit", "profile", "device", "port"])
            let unit = try u.int("unit", 1...247)
            let port = try u.int("port", default: 0, 0...63)
            if out.contains(where: { $0.unit == unit && $0.port == port }) {
                throw try u.required("unit").fail(port == 0 ? "unit \(unit) bound twice" : "unit \(unit) bound twice on port +\(port)")
            }
            if port > 0 && !out.contains(where: { $0.port == port - 1 }) {
                throw try u.required("port").fail("port +\(port) before any unit on port +\(port - 1): the ports run from the --listen port up, without a gap")
            }
            let dn = try u.required("device")
            let device = try dn.asString()
            guard devices.contains(device) else { throw dn.fail("no device '\(device)'; devices are \(devices.joined(separator: ", "))") }
            let profile = try u.string("profile")
            if profile.contains("/") || profile.contains("..") { throw try u.required("profile").fail("a profile is named by its file name in DeviceProfiles/, without .yaml") }
            var binding = ModbusBinding(unit: unit, profile: profile, device: device, line: item.line)
            binding.port = port
            out.append(binding)
        }
        return out
    }
}
