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
    /// Where a scenario's device profiles are when `--profiles` is not given: `DeviceProfiles/`
    /// beside the scenario's folder (the repository's layout: Scenarios/ and DeviceProfiles/ side
    /// by side), else in the scenario's own folder, else in the working directory — so `serve`,
    /// `points` and `check` work from any folder.
    public static func profilesDirectory(for scenarioFile: String) -> String {
        let folder = URL(fileURLWithPath: scenarioFile).deletingLastPathComponent()
        for candidate in [folder.deletingLastPathComponent().appendingPathComponent("DeviceProfiles"), folder.appendingPathComponent("DeviceProfiles")] {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDir), isDir.boolValue { return candidate.path }
        }
        return "DeviceProfiles"
    }

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
            else if let i = spec.boilerRoom.gasBoilers.firstIndex(where: { $0.id == b.device }) { (kind, index) = (.gasBoiler, i) }
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
}
