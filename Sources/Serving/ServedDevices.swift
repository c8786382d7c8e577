import Foundation
import PlantRecording
import SimulationCore
import Training
import RegisterMap
import Scenario
import YAMLFile

/// A Modbus unit bound to a device of the plant, with the profile it speaks.
public struct ServedDevice: Sendable {
    public let unit: Int
    /// The daemon's port (gateway) that serves it: the `--listen` port plus this offset.
    public var port: Int = 0
    public let type: DeviceType
    /// Index of the device among those of its type (0 for the plant controller).
    public let index: Int
    public let device: String
    public let profile: DeviceProfile
    /// The catalogue's point behind each of the profile's entries, in the same order.
    public let points: [Point]
    /// The built-in kind, if the type is one.
    public var kind: DeviceKind? { DeviceKind(rawValue: type.name) }
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
    /// checking it against the points `catalogue` declares for the device type it is bound to.
    public static func resolve(_ spec: ScenarioSpec, profilesDirectory: String, catalogue: Catalogue = .standard) throws -> [ServedDevice] {
        let known = catalogue.profileSpecs(for: spec)
        var cache: [String: DeviceProfile] = [:]
        return try spec.modbus.map { b in
            guard let (type, instance) = catalogue.device(b.device, in: spec) else {
                throw FileError(file: spec.file, line: b.line, field: "modbus.units.device", message: "no device '\(b.device)'")
            }
            let path = "\(profilesDirectory)/\(b.profile).yaml"
            let profile: DeviceProfile
            if let p = cache[path] { profile = p } else {
                guard FileManager.default.fileExists(atPath: path) else {
                    throw FileError(file: spec.file, line: b.line, field: "modbus.units.profile", message: "no profile file \(path)")
                }
                profile = try DeviceProfile.load(path: path, knownTags: known)
                cache[path] = profile
            }
            guard profile.kind == type.name else {
                throw FileError(file: spec.file, line: b.line, field: "modbus.units.profile",
                                message: "profile '\(b.profile)' is for a \(profile.kind), device '\(b.device)' is a \(type.name)")
            }
            let points = type.points(for: spec, in: catalogue)
            let byName = Dictionary(points.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
            var served = ServedDevice(unit: b.unit, type: type, index: instance.index, device: b.device, profile: profile,
                                      points: profile.entries.map { byName[$0.tag]! })   // the profile was checked against these names
            served.port = b.port
            return served
        }
    }
}
