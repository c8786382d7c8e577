import Foundation
import YAMLFile

/// The four tables of the Modbus data model.
public enum ModbusTable: String, Sendable, CaseIterable {
    case coils, discreteInputs, inputRegisters, holdingRegisters
    /// Prefix of the 1-based reference supervision tools use (0xxxx, 1xxxx, 3xxxx, 4xxxx).
    public var referencePrefix: Int {
        switch self { case .coils: 0; case .discreteInputs: 1; case .inputRegisters: 3; case .holdingRegisters: 4 }
    }
    public var isBitTable: Bool { self == .coils || self == .discreteInputs }
    /// Whether a client may write this table at all.
    public var writable: Bool { self == .coils || self == .holdingRegisters }
}

/// One point of a profile: where it sits, what it carries and how.
public struct PointEntry: Sendable, Equatable {
    public var table: ModbusTable
    /// 0-based protocol address.
    public var address: Int
    /// Tag relative to the device the profile is bound to (`supply_temperature`, `meter.energy`).
    public var tag: String
    public var type: PointType
    public var scale: Double
    public var unit: String
    public var writable: Bool
    public var min: Double?, max: Double?
    public var description: String
    /// Line of the entry in its profile file.
    public var line: Int
    /// Registers (or bits) the entry spans.
    public var width: Int { table.isBitTable ? 1 : type.width }
    /// The 1-based reference (e.g. 40001 for holding register 0).
    public var reference: Int { table.referencePrefix * 10000 + address + 1 }
}

/// What the point catalogue says of a point (its unit, whether it takes writes, the range a write
/// may carry, its description): a profile does not repeat it, it only lays the point out on
/// registers.
public struct PointSpec: Sendable, Equatable {
    public var unit: String
    public var writable: Bool
    public var min: Double?, max: Double?
    public var description: String
    public init(unit: String = "", writable: Bool = false, min: Double? = nil, max: Double? = nil, description: String = "") {
        self.unit = unit; self.writable = writable; self.min = min; self.max = max; self.description = description
    }
}

/// A device profile: how one kind of device serves its points (DeviceProfiles/*.yaml).
public struct DeviceProfile: Sendable {
    public var name: String
    public var file: String
    /// Kind of device the tags belong to (`plantController`, `woodChipBoiler`,
    /// `substationController`, `heatMeter`).
    public var kind: String
    public var vendor: String, productCode: String, revision: String
    public var wordOrder: WordOrder
    public var entries: [PointEntry]

    public func entries(in table: ModbusTable) -> [PointEntry] { entries.filter { $0.table == table } }

    /// Reads and checks a profile. `knownTags` gives, per device kind, the points that exist and
    /// what the catalogue says of each: a profile lays points out on registers (address, type,
    /// scale, word order) and may make a writable point read-only (`access: r`), nothing more.
    public static func parse(text: String, file: String, knownTags: [String: [String: PointSpec]]) throws -> DeviceProfile {
        let root = try YNode.parse(text: text, file: file)
        let m = try root.map(allowed: ["name", "kind", "identification", "wordOrder"] + ModbusTable.allCases.map(\.rawValue))
        let kindNode = try m.required("kind")
        let kind = try kindNode.asString()
        guard let tags = knownTags[kind] else {
            throw kindNode.fail("unknown device kind '\(kind)'; expected one of: \(knownTags.keys.sorted().joined(separator: ", "))")
        }
        let id = try m.required("identification").map(allowed: ["vendor", "productCode", "revision"])
        let woNode = m.optional("wordOrder")
        let wo = try woNode.map { n -> WordOrder in
            guard let w = WordOrder(rawValue: try n.asString()) else { throw n.fail("expected ABCD, CDAB, BADC or DCBA") }
            return w
        } ?? .abcd
        var entries: [PointEntry] = []
        for table in ModbusTable.allCases {
            guard let list = m.optional(table.rawValue) else { continue }
            var taken: [(Int, Int, Int)] = []   // (first, last, line)
            for item in try list.list() {
                let e = try item.map(allowed: ["address", "tag", "type", "scale", "access", "unit", "min", "max", "description"])
                for key in ["unit", "min", "max", "description"] {
                    if let n = e.optional(key) {
                        throw n.fail("'\(key)' is declared once, in the point catalogue (`chaufferie points --catalogue`); a profile only lays points out on registers")
                    }
                }
                let address = try e.int("address", 0...65535)
                let tagNode = try e.required("tag")
                let tag = try tagNode.asString()
                guard let spec = tags[tag] else { throw tagNode.fail("no tag '\(tag)' on a \(kind)") }
                let type: PointType
                if table.isBitTable {
                    if let t = e.optional("type"), try t.asString() != "bool" { throw t.fail("coils and discrete inputs are bool") }
                    type = .bool
                } else {
                    let tn = try e.required("type")
                    guard let t = PointType(rawValue: try tn.asString()), t != .bool else {
                        throw tn.fail("expected int16, uint16, int32, uint32, float32 or enum")
                    }
                    type = t
                }
                // register = value × scale: beyond these a register loses the value or overflows at once
                let scale = try e.double("scale", default: 1, 0.0001...100_000)
                if let twin = entries.first(where: { $0.table == table && $0.tag == tag }) {
                    throw tagNode.fail("'\(tag)' is already served in \(table.rawValue) at address \(twin.address) (line \(twin.line))")
                }
                // writable where the catalogue says so and the table can be written, unless the
                // profile restricts it (a vendor's device serving a setting read-only)
                var writable = spec.writable && table.writable
                if let accessNode = e.optional("access") {
                    switch try accessNode.asString() {
                    case "r": writable = false
                    case "rw":
                        guard table.writable else { throw accessNode.fail("\(table.rawValue) are read-only in Modbus") }
                        guard spec.writable else { throw accessNode.fail("'\(tag)' takes no writes (the point catalogue)") }
                    default: throw accessNode.fail("expected r or rw")
                    }
                }
                let mn = writable ? spec.min : nil, mx = writable ? spec.max : nil
                let width = table.isBitTable ? 1 : type.width
                if address + width > 65536 { throw try e.required("address").fail("runs past address 65535") }
                if let clash = taken.first(where: { address <= $0.1 && address + width - 1 >= $0.0 }) {
                    throw try e.required("address").fail("overlaps the entry at line \(clash.2)")
                }
                taken.append((address, address + width - 1, item.line))
                entries.append(PointEntry(table: table, address: address, tag: tag, type: type, scale: scale,
                                          unit: spec.unit, writable: writable, min: mn, max: mx,
                                          description: spec.description, line: item.line))
            }
        }
        return DeviceProfile(name: try m.string("name"), file: file, kind: kind, vendor: try id.string("vendor"),
                             productCode: try id.string("productCode"), revision: try id.string("revision"),
                             wordOrder: wo, entries: entries)
    }

    public static func load(path: String, knownTags: [String: [String: PointSpec]]) throws -> DeviceProfile {
        return try parse(text: TextFile.read(path), file: path, knownTags: knownTags)
    }
}
