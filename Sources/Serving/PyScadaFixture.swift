import Foundation

/// A PyScada fixture for every point of a point list (`chaufferie points --format pyscada`):
/// Django's JSON fixture format, loaded with `manage.py loaddata` into a PyScada 0.8 project with
/// `pyscada.modbus`. One PyScada device (and its `modbus.modbusdevice`: TCP, address, port, unit
/// id) per Modbus unit, polled every `pollingS`; one variable (and its `modbus.modbusvariable`:
/// address, read function code) per point, with PyScada's value class, its byte order in
/// PyScada's own notation (3-2-1-0 = high word first, 1-0-3-2 = low word first, the notation of
/// the point list's `byteOrder`), a linear scaling for scaled registers (raw 0…1 → 0…multiplier),
/// unit, write access and range. Primary keys start at `firstKey` so the fixture does not
/// overwrite the rows of an existing project with PyScada's own low keys.
public struct PyScadaFixture: Sendable {
    public var json: String

    /// PyScada's polling intervals (its `Device.polling_interval` choices), in seconds.
    public static let pollingChoices: [Double] = [0.1, 0.5, 1, 5, 10, 15, 30, 60, 150, 300, 360, 600, 900, 1800, 3600, 21600, 43200, 86400, 604800]
    /// PyScada's protocol id for Modbus (`pyscada.modbus.PROTOCOL_ID`).
    static let modbusProtocol = 3

    public init(_ list: PointList, host: String, port: Int, pollingS: Double = 5, firstKey: Int = 1000, prefix: String = "chaufferie") {
        var objects: [[String: Any]] = []
        func slug(_ s: String) -> String { String(s.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "-" }) }
        // units of measure and scalings, shared
        var unitKeys: [String: Int] = [:], scalingKeys: [Double: Int] = [:]
        for r in list.rows {
            let u = r.unitOfMeasure.isEmpty ? "-" : r.unitOfMeasure
            if unitKeys[u] == nil {
                let pk = firstKey + unitKeys.count
                unitKeys[u] = pk
                objects.append(["model": "pyscada.unit", "pk": pk, "fields": ["unit": u, "description": "Chaufferie", "udunit": ""]])
            }
            if r.wireType != "float32", r.wireType != "bit", r.multiplier != 1, scalingKeys[r.multiplier] == nil {
                let pk = firstKey + scalingKeys.count
                scalingKeys[r.multiplier] = pk
                objects.append(["model": "pyscada.scaling", "pk": pk,
                                "fields": ["description": "raw × \(PointList.fmt(r.multiplier))", "input_low": 0.0, "input_high": 1.0,
                                           "output_low": 0.0, "output_high": r.multiplier, "limit_input": false]])
            }
        }
        // one device per unit (per port and unit when the units are on several ports)
        var deviceKeys: [Int: Int] = [:]
        var byteOrder: [Int: String] = [:]
        for r in list.rows where !r.byteOrder.isEmpty && byteOrder[r.port * 256 + r.unit] == nil { byteOrder[r.port * 256 + r.unit] = r.byteOrder }
        for r in list.rows where deviceKeys[r.port * 256 + r.unit] == nil {
            let pk = firstKey + deviceKeys.count
            deviceKeys[r.port * 256 + r.unit] = pk
            let order = byteOrder[r.port * 256 + r.unit] ?? "3-2-1-0"
            let name = list.severalPorts ? "\(prefix)-p\(r.port)-u\(r.unit)-\(slug(r.device))" : "\(prefix)-u\(r.unit)-\(slug(r.device))"
            objects.append(["model": "pyscada.device", "pk": pk,
                            "fields": ["short_name": name, "description": "Chaufferie unit \(r.unit)\(list.severalPorts ? " on port \(port + r.port)" : ""): \(r.device)",
                                       "active": true, "byte_order": order, "polling_interval": pollingS, "protocol": Self.modbusProtocol]])
            objects.append(["model": "modbus.modbusdevice", "pk": pk,
                            "fields": ["modbus_device": pk, "protocol": 0, "ip_address": host, "port": String(port + r.port), "unit_id": r.unit,
                                       "timeout": 0, "stopbits": 0, "bytesize": 0, "parity": 0, "baudrate": 0]])
        }
        // one variable per point
        for (k, r) in list.rows.enumerated() {
            let pk = firstKey + k
            let valueClass: String
            switch r.wireType {
            case "bit": valueClass = "BOOLEAN"
            case "float32": valueClass = "FLOAT32"
            default: valueClass = r.wireType.uppercased()   // INT16, UINT16, INT32, UINT32
            }
            let function: Int
            switch r.table {
            case "coils": function = 1
            case "discreteInputs": function = 2
            case "holdingRegisters": function = 3
            default: function = 4
            }
            var fields: [String: Any] = [
                "name": "\(prefix)-u\(r.unit)-\(slug(r.device))-\(slug(r.tag))",
                "short_name": String("\(r.device) \(r.tag)".prefix(80)),
                "description": [r.description, r.scaling, r.invalidValue.isEmpty ? "" : "invalid: \(r.invalidValue)", r.rules]
                    .filter { !$0.isEmpty }.joined(separator: " · "),
                "device": deviceKeys[r.port * 256 + r.unit]!, "active": true, "unit": unitKeys[r.unitOfMeasure.isEmpty ? "-" : r.unitOfMeasure]!,
                "writeable": r.access == "rw", "value_class": valueClass, "cov_increment": 0.0,
                "byte_order": r.byteOrder.isEmpty ? "default" : r.byteOrder,
                "scaling": scalingKeys[r.multiplier].map { $0 as Any } ?? NSNull(),
            ]
            if let lo = r.min, let hi = r.max { fields["value_min"] = lo; fields["value_max"] = hi }
            objects.append(["model": "pyscada.variable", "pk": pk, "fields": fields])
            objects.append(["model": "modbus.modbusvariable", "pk": pk,
                            "fields": ["modbus_variable": pk, "address": r.address, "function_code_read": function]])
        }
        let data = (try? JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        json = String(decoding: data, as: UTF8.self) + "\n"
    }
}
