import RegisterMap

/// Modbus exception codes this server answers with.
public enum ModbusException: UInt8, Sendable {
    case illegalFunction = 0x01, illegalDataAddress = 0x02, illegalDataValue = 0x03
    case deviceFailure = 0x04, busy = 0x06, gatewayTargetFailed = 0x0B
}

/// A write a client made, decoded to the point's engineering value.
public struct PointWrite: Sendable, Equatable {
    public let unit: UInt8
    public let tag: String
    public let value: Double
    /// The client's address and port (empty until the server fills it in).
    public var client: String = ""
    public init(unit: UInt8, tag: String, value: Double, client: String = "") {
        self.unit = unit; self.tag = tag; self.value = value; self.client = client
    }
}

/// The verdict on one request, before anything is answered.
public enum RequestVerdict: Sendable, Equatable {
    /// Valid: libmodbus may answer it from the unit's mapping; writes carry the decoded values.
    case reply(writes: [PointWrite])
    /// Answer the exception, change nothing.
    case exception(ModbusException)
    /// Read device identification (FC 43 / MEI 14): answer it here.
    case deviceIdentification(readCode: UInt8, objectId: UInt8)
}

/// The checks every request passes before it reaches libmodbus: function, quantity, byte count,
/// implied length, address map, access and range (Modbus Application Protocol V1.1b3 §6).
public enum RequestCheck {
    /// The function codes that write: 05, 06, 15, 16, 22 (mask write), 23 (read/write).
    public static let writeFunctions: Set<UInt8> = [0x05, 0x06, 0x0F, 0x10, 0x16, 0x17]
    @inline(__always) static func u16(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int { Int(p[i]) << 8 | Int(p[i + 1]) }

    /// Checks `pdu` (function code first) for `map`.
    public static func check(pdu: [UInt8], map: UnitMap) -> RequestVerdict {
        pdu.withUnsafeBufferPointer { check(pdu: $0, map: map) }
    }

    /// The same on the request's bytes where they stand (the server's path: no copy).
    public static func check(pdu p: UnsafeBufferPointer<UInt8>, map: UnitMap) -> RequestVerdict {
        guard let fc = p.first else { return .exception(.illegalFunction) }
        switch fc {
        case 0x01, 0x02, 0x03, 0x04:
            guard p.count == 5 else { return .exception(.illegalDataValue) }
            let addr = u16(p, 1), qty = u16(p, 3)
            let bits = fc <= 0x02
            guard qty >= 1, qty <= (bits ? 2000 : 125) else { return .exception(.illegalDataValue) }
            let table: ModbusTable = fc == 0x01 ? .coils : fc == 0x02 ? .discreteInputs : fc == 0x03 ? .holdingRegisters : .inputRegisters
            return map.covered(table, addr, qty) ? .reply(writes: []) : .exception(.illegalDataAddress)
        case 0x05:
            guard p.count == 5 else { return .exception(.illegalDataValue) }
            let addr = u16(p, 1), v = u16(p, 3)
            guard v == 0x0000 || v == 0xFF00 else { return .exception(.illegalDataValue) }
            guard let es = map.writableEntries(.coils, addr, 1) else { return .exception(.illegalDataAddress) }
            return .reply(writes: [PointWrite(unit: map.unit, tag: es[0].tag, value: v == 0xFF00 ? 1 : 0)])
        case 0x06:
            guard p.count == 5 else { return .exception(.illegalDataValue) }
            return registerWrite(map, address: u16(p, 1), words: [UInt16(u16(p, 3))])
        case 0x0F:
            guard p.count >= 6 else { return .exception(.illegalDataValue) }
            let addr = u16(p, 1), qty = u16(p, 3), bc = Int(p[5])
            guard qty >= 1, qty <= 1968, bc == (qty + 7) / 8, p.count == 6 + bc else { return .exception(.illegalDataValue) }
            guard let es = map.writableEntries(.coils, addr, qty) else { return .exception(.illegalDataAddress) }
            let writes = es.map { e -> PointWrite in
                let k = e.address - addr
                return PointWrite(unit: map.unit, tag: e.tag, value: (p[6 + k / 8] >> (k % 8)) & 1 == 1 ? 1 : 0)
            }
            return .reply(writes: writes)
        case 0x10:
            guard p.count >= 6 else { return .exception(.illegalDataValue) }
            let addr = u16(p, 1), qty = u16(p, 3), bc = Int(p[5])
            guard qty >= 1, qty <= 123, bc == 2 * qty, p.count == 6 + bc else { return .exception(.illegalDataValue) }
            return registerWrite(map, address: addr, words: (0..<qty).map { UInt16(u16(p, 6 + 2 * $0)) })
        case 0x17:
            guard p.count >= 10 else { return .exception(.illegalDataValue) }
            let raddr = u16(p, 1), rqty = u16(p, 3), waddr = u16(p, 5), wqty = u16(p, 7), bc = Int(p[9])
            guard rqty >= 1, rqty <= 125, wqty >= 1, wqty <= 121, bc == 2 * wqty, p.count == 10 + bc else {
                return .exception(.illegalDataValue)
            }
            guard map.covered(.holdingRegisters, raddr, rqty) else { return .exception(.illegalDataAddress) }
            return registerWrite(map, address: waddr, words: (0..<wqty).map { UInt16(u16(p, 10 + 2 * $0)) })
        case 0x2B:
            guard p.count == 4, p[1] == 0x0E else { return p.count >= 2 && p[1] != 0x0E ? .exception(.illegalFunction) : .exception(.illegalDataValue) }
            guard (1...4).contains(p[2]) else { return .exception(.illegalDataValue) }
            if p[2] == 4 && p[3] > 2 { return .exception(.illegalDataAddress) }
            return .deviceIdentification(readCode: p[2], objectId: p[3])
        default:
            return .exception(.illegalFunction)
        }
    }

    /// A write of holding registers: every register in a writable entry wholly inside the range,
    /// every value within its entry's range; else nothing is written.
    static func registerWrite(_ map: UnitMap, address: Int, words: [UInt16]) -> RequestVerdict {
        guard let es = map.writableEntries(.holdingRegisters, address, words.count) else { return .exception(.illegalDataAddress) }
        var writes: [PointWrite] = []
        for e in es {
            let k = e.address - address
            let regs = Array(words[k..<(k + e.width)])
            guard let v = RegisterCodec.decode(regs, type: e.type, scale: e.scale, order: map.profile.wordOrder) else {
                return .exception(.illegalDataValue)
            }
            if let mn = e.min, v < mn - 1e-9 { return .exception(.illegalDataValue) }
            if let mx = e.max, v > mx + 1e-9 { return .exception(.illegalDataValue) }
            writes.append(PointWrite(unit: map.unit, tag: e.tag, value: v))
        }
        return .reply(writes: writes)
    }

    /// The response PDU to Read Device Identification (MEI 14) for a profile: basic objects
    /// 0 vendor name, 1 product code, 2 revision, streamed in one response.
    public static func deviceIdentification(readCode: UInt8, objectId: UInt8, profile: DeviceProfile) -> [UInt8] {
        let objects: [[UInt8]] = [Array(profile.vendor.utf8.prefix(60)), Array(profile.productCode.utf8.prefix(60)), Array(profile.revision.utf8.prefix(60))]
        var ids: [Int]
        if readCode == 4 { ids = [Int(objectId)] } else { ids = Array(Int(objectId > 2 ? 0 : objectId)...2) }
        var out: [UInt8] = [0x2B, 0x0E, readCode, 0x01 /* basic conformity */, 0x00 /* no more */, 0x00, UInt8(ids.count)]
        for i in ids { out += [UInt8(i), UInt8(objects[i].count)] + objects[i] }
        return out
    }
}
