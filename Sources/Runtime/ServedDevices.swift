import Foundation
import RegisterMap
import Scenario
import YAMLFile

/// A Modbus unit bound to a device of the plant, with the profile it speaks.
public struct ServedDevice: Sendable {
    public let unit: Int
    public let kind: DeviceKind
    /// Index of the boiler or substation (0 for the plant controller).
    public let index: Int
    public let device: String
    public let profile: DeviceProfile
}

public enum ServedDevices {
    /// Resolves a scenario's Modbus bindings, loading each profile from `profilesDirectory` and
    /// checking it against the tags of the device kind it is bound to.
    public static func resolve(_ spec: ScenarioSpec, profilesDirectory: String) throws -> [ServedDevice] {
        let known = TagTable.known(boilers: spec.boilerRoom.boilers.count, substations: spec.buildings.count,
                                   bufferLayers: spec.boilerRoom.bufferLayers)
        var cache: [String: DeviceProfile] = [:]
        return try spec.modbus.map { b in
            let (kind, index): (DeviceKind, Int)
            if b.device == "plant" { (kind, index) = (.plantController, 0) }
            else if let i = spec.boilerRoom.boilers.firstIndex(where: { $0.id == b.device }) { (kind, index) = (.woodChipBoiler, i) }
            else if b.device.hasSuffix(".meter"), let i = spec.buildings.firstIndex(where: { "\($0.id).meter" == b.device }) { (kind, index) = (.heatMeter, i) }
            else if let i = spec.buildings.firstIndex(where: { $0.id == b.device }) { (kind, index) = (.substationController, i) }
            else { throw FileError(file: spec.file, line: b.line, field: "modbus.units.device", message: "no device '\(b.device)'") }
            let path = "\(profilesDirectory)/\(b.profile).yaml"
            let profile: DeviceProfile
            if let p = cache[path] { profile = p } else {
                guard FileManager.default.fileExists(atPath: path) else {
                    throw FileError(file: spec.file, line: b.line, field: "modbus.units.profile", message: "no profile file \(path)")
                }
                profile = try DeviceProfile.load(path: path, knownTags: known)
                cache[path] = profile
            }
            guard profile.kind == kind.rawValue else {
                throw FileError(file: spec.file, line: b.line, field: "modbus.units.profile",
                                message: "profile '\(b.profile)' is for a \(profile.kind), device '\(b.device)' is a \(kind.rawValue)")
            }
            return ServedDevice(unit: b.unit, kind: kind, index: index, device: b.device, profile: profile)
        }
    }

    /// The point list for integrators: every register of every unit.
    public static func pointList(_ devices: [ServedDevice], format: String) -> String {
        let header = ["unit", "device", "table", "address", "reference", "tag", "type", "word order", "scale", "unit of measure", "access", "range", "description"]
        var rows: [[String]] = []
        for d in devices.sorted(by: { $0.unit < $1.unit }) {
            for e in d.profile.entries.sorted(by: { ($0.table.referencePrefix, $0.address) < ($1.table.referencePrefix, $1.address) }) {
                let range = e.writable ? (e.min.map { "\(fmt($0))" } ?? "0") + "…" + (e.max.map { "\(fmt($0))" } ?? "1") : ""
                rows.append([String(d.unit), d.device, e.table.rawValue, String(e.address), String(format: "%05d", e.reference),
                             e.tag, e.type.rawValue, e.type.width == 2 ? d.profile.wordOrder.rawValue : "",
                             fmt(e.scale), e.unit, e.writable ? "rw" : "r", range, e.description])
            }
        }
        if format == "csv" {
            func q(_ s: String) -> String { s.contains(",") || s.contains("\"") ? "\"\(s.replacingOccurrences(of: "\"", with: "\"\""))\"" : s }
            return ([header] + rows).map { $0.map(q).joined(separator: ",") }.joined(separator: "\n") + "\n"
        }
        var out = "| " + header.joined(separator: " | ") + " |\n|" + header.map { _ in "---" }.joined(separator: "|") + "|\n"
        for r in rows { out += "| " + r.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n" }
        return out
    }

    static func fmt(_ v: Double) -> String { v == v.rounded() && abs(v) < 1e9 ? String(Int(v)) : String(v) }
}
