import Foundation
import PlantControl
import RegisterMap
import Scenario

/// One point of a device type, declared once: what it is (name, unit, nature, description), what
/// a write may carry (range, whole values, the rules it must keep with the other points), how the
/// historian records it, whether the retentive memory keeps it, and its binding to the physics
/// and the control core (`read`, and `write` for settings and commands). Publication, validation
/// of writes, the historian's tags, the retentive memory, the point list and the profiles' checks
/// all come from here.
public struct Point: Sendable {
    /// What kind of quantity the point is.
    public enum Nature: String, Sendable, Codable {
        /// A measured or computed value.
        case measurement
        /// A discrete state (a code, an on/off).
        case state
        /// A rising count (hours, energy, starts): never goes back, shown rounded down.
        case counter
        /// A parameter a client may set; kept when it is retentive.
        case setting
        /// Write 1 to act; reads 0 once carried out.
        case command
    }
    /// How the historian records the point.
    public enum Recorded: Sendable, Equatable {
        /// Not recorded (a mirror of a point recorded under its own device, a command).
        case no
        /// At the recording period through a swinging door of `deadband` (nil: the unit's default).
        case analog(deadband: Double? = nil)
        /// Every 10 s when it changed.
        case state
        /// Every hour (`hourly`) or day when it changed, at `resolution`.
        case counter(resolution: Double, hourly: Bool = false)
    }
    /// How a device shows the value (its display's resolution); the historian records it exact.
    public enum Shown: Sendable, Equatable {
        case exact
        /// Rounded down to `step` (counters: a meter never shows more than it counted).
        case down(Double)
        /// Rounded to the nearest `step`.
        case nearest(Double)
    }

    public var name: String
    public var unit: String
    public var nature: Nature
    public var description: String
    /// What a write may carry (settings and commands).
    public var range: ClosedRange<Double>?
    /// Whether a write must be a whole number (codes, flags, commands).
    public var whole: Bool
    /// The rules between this point and others, and when it is inactive (for the point list).
    public var rules: String
    /// Where a device lacks the quantity (a building without a DHW tank), and what the point does
    /// there (for the point list); nil: every device has it.
    public var lacking: (where: @Sendable (ScenarioSpec, Int) -> Bool, rule: String)?
    public var recorded: Recorded
    public var shown: Shown
    /// Kept in the retentive memory across a restart (settings a client wrote).
    public var retentive: Bool
    /// Unit 1's plant controller repeats this point of each device (its summary block), under
    /// `<device><k>.<summaryPrefix><name>` (the prefix often empty); nil: not repeated.
    public var summaryPrefix: String?
    /// The value now, exact (nil: none, served as the invalid value).
    public var read: @Sendable (Simulation, Int) -> Double?
    /// Hands a write (already checked against `range` and `whole`) to the control core; throws
    /// `TagWriteError.invalidValue` when the device refuses it (e.g. a DHW setting without a tank).
    public var write: (@Sendable (inout Simulation, Int, Double) throws -> Void)?

    public init(_ name: String, unit: String = "", _ nature: Nature, _ description: String, range: ClosedRange<Double>? = nil,
                whole: Bool = false, rules: String = "", lacking: (where: @Sendable (ScenarioSpec, Int) -> Bool, rule: String)? = nil, recorded: Recorded = .no, shown: Shown = .exact, retentive: Bool? = nil,
                summaryPrefix: String? = nil, read: @escaping @Sendable (Simulation, Int) -> Double?,
                write: (@Sendable (inout Simulation, Int, Double) throws -> Void)? = nil) {
        self.name = name; self.unit = unit; self.nature = nature; self.description = description; self.range = range
        self.whole = whole || nature == .command; self.rules = rules; self.lacking = lacking; self.recorded = recorded; self.shown = shown
        self.retentive = retentive ?? (nature == .setting); self.summaryPrefix = summaryPrefix; self.read = read; self.write = write
    }

    public var writable: Bool { write != nil }

    /// A command point: reads 0, a write of 1 carries out `act` on device `index`.
    public static func command(_ name: String, _ description: String, rules: String,
                               act: @escaping @Sendable (inout Simulation, Int) -> Void) -> Point {
        Point(name, .command, description, range: 0...1, rules: rules, read: { _, _ in 0 }, write: { s, i, v in if v == 1 { act(&s, i) } })
    }

    /// A number as a person writes it: 45 rather than 45.0, 0.55 as is.
    public static func fmt(_ v: Double) -> String { v == v.rounded() && abs(v) < 1e9 ? String(Int(v)) : String(v) }

    /// The rules of the point on device `index` of `spec` (what it does where the device lacks the quantity).
    public func rules(_ spec: ScenarioSpec, _ index: Int) -> String {
        if let l = lacking, l.where(spec, index) { return l.rule }
        return rules
    }

    /// The value as the device shows it (its display resolution applied).
    @inline(__always) public func value(_ sim: Simulation, _ index: Int) -> Double? {
        guard let v = read(sim, index) else { return nil }
        return shown.apply(v)
    }

    /// What a profile needs to know of the point.
    public var spec: PointSpec {
        PointSpec(unit: unit, writable: writable, min: range?.lowerBound, max: range?.upperBound, description: description)
    }
}

/// What reading a point's value takes, without the rest of the point: the publication of the
/// register image reads every point of every unit after each batch of steps.
public struct PointReader: Sendable {
    public let read: @Sendable (Simulation, Int) -> Double?
    public let shown: Point.Shown
    public init(read: @escaping @Sendable (Simulation, Int) -> Double?, shown: Point.Shown) { self.read = read; self.shown = shown }

    /// The value as the device shows it (`Point.value`).
    @inline(__always) public func value(_ sim: Simulation, _ index: Int) -> Double? {
        guard let v = read(sim, index) else { return nil }
        return shown.apply(v)
    }
}

extension Point.Shown {
    /// `v` at the display's resolution.
    @inline(__always) public func apply(_ v: Double) -> Double {
        switch self {
        case .exact: return v
        case let .down(step): return (v / step).rounded(.down) * step
        case let .nearest(step): return (v / step).rounded() * step
        }
    }
}

/// A rule between points of one device, checked after every write (the write is refused when it
/// breaks one, and changes nothing).
public struct PointRule: Sendable {
    public var text: String
    /// nil when the device's points keep the rule; else why not.
    public var broken: @Sendable (Simulation, Int) -> String?
    public init(_ text: String, broken: @escaping @Sendable (Simulation, Int) -> String?) { self.text = text; self.broken = broken }
}

/// One device of a scenario of a given type.
public struct DeviceInstance: Sendable, Equatable {
    /// The name the scenario binds a Modbus unit to (`plant`, `B1`, `ecole`, `ecole.meter`).
    public var device: String
    /// Index of the device among those of its type.
    public var index: Int
    /// What the historian's tags of this device start with (`boiler.B1.`).
    public var recordPrefix: String
    /// What the device is, for people (`Boiler B1`, `École (ecole)`).
    public var label: String
    public init(device: String, index: Int, recordPrefix: String, label: String) {
        self.device = device; self.index = index; self.recordPrefix = recordPrefix; self.label = label
    }
}

/// A type of device: its points, the rules between them, and where its devices are in a scenario.
public struct DeviceType: Sendable {
    public var name: String
    public var description: String
    /// The points every device of the type has.
    public var points: [Point]
    /// Points that depend on the plant's shape (the plant controller's summary of each boiler and
    /// substation, the buffer's layers), built from the scenario.
    public var shaped: @Sendable (ScenarioSpec, Catalogue) -> [Point]
    public var rules: [PointRule]
    public var instances: @Sendable (ScenarioSpec) -> [DeviceInstance]
    /// How the control core's alarm table names devices of this type (`AlarmDefinition.device`
    /// "plant", "boiler:k"…: the part before the colon), and the historian tag each alarm kind
    /// (the id's part after its last dot) watches on device `k`.
    public var alarmDevice: String?
    public var alarmTags: @Sendable (Simulation, DeviceInstance) -> [String: String]
    private let byName: [String: Int]

    public init(name: String, description: String, points: [Point], rules: [PointRule] = [],
                shaped: @escaping @Sendable (ScenarioSpec, Catalogue) -> [Point] = { _, _ in [] },
                alarmDevice: String? = nil, alarmTags: @escaping @Sendable (Simulation, DeviceInstance) -> [String: String] = { _, _ in [:] },
                instances: @escaping @Sendable (ScenarioSpec) -> [DeviceInstance]) {
        self.name = name; self.description = description; self.points = points; self.rules = rules
        self.shaped = shaped; self.instances = instances; self.alarmDevice = alarmDevice; self.alarmTags = alarmTags
        var idx: [String: Int] = [:]
        for (i, p) in points.enumerated() {
            precondition(idx[p.name] == nil, "point '\(p.name)' declared twice in device type '\(name)'")
            idx[p.name] = i
        }
        byName = idx
    }

    /// Every point of a device of this type in a plant built from `spec`.
    public func points(for spec: ScenarioSpec, in catalogue: Catalogue) -> [Point] { points + shaped(spec, catalogue) }

    /// The point named `name` (the fixed ones by table, the shaped ones built).
    public func point(_ name: String, spec: ScenarioSpec, in catalogue: Catalogue) -> Point? {
        if let i = byName[name] { return points[i] }
        return shaped(spec, catalogue).first { $0.name == name }
    }
}

/// Every device type the daemon knows: the built-in ones (`standard`), or a catalogue a test or
/// an extension builds with more.
public struct Catalogue: Sendable {
    public var types: [DeviceType]
    public init(_ types: [DeviceType]) {
        var seen: Set<String> = []
        for t in types { precondition(seen.insert(t.name).inserted, "device type '\(t.name)' declared twice") }
        self.types = types
    }

    public func type(_ name: String) -> DeviceType? { types.first { $0.name == name } }

    /// The device named `device` in `spec`, with its type.
    public func device(_ device: String, in spec: ScenarioSpec) -> (DeviceType, DeviceInstance)? {
        for t in types { if let d = t.instances(spec).first(where: { $0.device == device }) { return (t, d) } }
        return nil
    }

    /// What profiles may serve, per device type: point name → what the catalogue says of it.
    public func profileSpecs(for spec: ScenarioSpec) -> [String: [String: PointSpec]] {
        var out: [String: [String: PointSpec]] = [:]
        for t in types {
            var m: [String: PointSpec] = [:]
            for p in t.points(for: spec, in: self) { m[p.name] = p.spec }
            out[t.name] = m
        }
        return out
    }

    /// The built-in device types.
    public static let standard = Catalogue([PlantControllerPoints.type, WoodChipBoilerPoints.type, GasBoilerPoints.type, HeatPumpPoints.type, SolarFieldPoints.type, RecoveredHeatPoints.type,
                                            SubstationPoints.type, HeatMeterPoints.type])

    /// The historian tag an alarm watches, from its device type's declaration ("" when no type
    /// declares it).
    public func alarmTag(_ d: AlarmDefinition, in sim: Simulation) -> String {
        let parts = d.device.split(separator: ":")
        guard let kind = parts.first, let type = types.first(where: { $0.alarmDevice == String(kind) }) else { return "" }
        let k = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        let devices = type.instances(sim.spec)
        guard devices.indices.contains(k), let suffix = d.id.split(separator: ".").last else { return "" }
        return type.alarmTags(sim, devices[k])[String(suffix)] ?? ""
    }
}

/// Why a write was refused.
public enum TagWriteError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No such tag, or the tag cannot be written.
    case notWritable(String)
    /// The value is outside what the control core accepts.
    case invalidValue(String)

    public var description: String {
        switch self {
        case let .notWritable(name): "'\(name)' takes no writes"
        case let .invalidValue(why): why
        }
    }
}

extension Simulation {
    /// Writes `value` to point `name` of device `index` of `type`: checked against the point's
    /// range, handed to the control core, then the type's rules checked; nothing changes when the
    /// write is refused.
    public mutating func write(_ type: DeviceType, _ index: Int, _ name: String, _ value: Double, catalogue: Catalogue = .standard) throws {
        guard let p = type.point(name, spec: spec, in: catalogue), let w = p.write else { throw TagWriteError.notWritable(name) }
        guard value.isFinite else { throw TagWriteError.invalidValue("not a number") }
        if let r = p.range, !r.contains(value) {
            throw TagWriteError.invalidValue("\(name) \(Point.fmt(value)) is outside \(Point.fmt(r.lowerBound))–\(Point.fmt(r.upperBound))\(p.unit.isEmpty ? "" : " " + p.unit)")
        }
        if p.whole, value != value.rounded() { throw TagWriteError.invalidValue("\(name) takes whole values") }
        var trial = self
        try w(&trial, index, value)
        for r in type.rules { if let why = r.broken(trial, index) { throw TagWriteError.invalidValue(why) } }
        self = trial
    }

    /// Writes a point of a built-in device kind (see `write(_:_:_:_:catalogue:)`).
    public mutating func writeTag(_ kind: DeviceKind, _ index: Int, _ name: String, _ value: Double) throws {
        try write(kind.type, index, name, value)
    }

    /// The value point `name` of device `index` of a built-in kind shows now (nil: invalid).
    public func readTag(_ kind: DeviceKind, _ index: Int, _ name: String) -> Double? {
        kind.type.point(name, spec: spec, in: .standard)?.value(self, index)
    }
}

/// The built-in device types by name, for code that speaks of one in particular.
public enum DeviceKind: String, Sendable, CaseIterable {
    case plantController, woodChipBoiler, substationController, heatMeter, gasBoiler, heatPump, solarField, recoveredHeat
    public var type: DeviceType { Catalogue.standard.type(rawValue)! }
}
