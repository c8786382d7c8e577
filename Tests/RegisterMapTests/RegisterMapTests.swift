import XCTest
import RegisterMap
import YAMLFile

final class RegisterCodecTests: XCTestCase {
    /// 123456.0 as IEEE-754 single is 0x47F12000: the known vector, in every word order.
    func testFloatVectorInEveryWordOrder() {
        XCTAssertEqual(RegisterCodec.encode(123456.0, type: .float32, scale: 1, order: .abcd), [0x47F1, 0x2000])
        XCTAssertEqual(RegisterCodec.encode(123456.0, type: .float32, scale: 1, order: .cdab), [0x2000, 0x47F1])
        XCTAssertEqual(RegisterCodec.encode(123456.0, type: .float32, scale: 1, order: .badc), [0xF147, 0x0020])
        XCTAssertEqual(RegisterCodec.encode(123456.0, type: .float32, scale: 1, order: .dcba), [0x0020, 0xF147])
        for o in WordOrder.allCases {
            XCTAssertEqual(RegisterCodec.decode(RegisterCodec.encode(-12.5, type: .float32, scale: 1, order: o), type: .float32, scale: 1, order: o), -12.5)
        }
    }

    func testScaledIntegersAndSentinels() {
        XCTAssertEqual(RegisterCodec.encode(45.34, type: .int16, scale: 10, order: .abcd), [453])
        XCTAssertEqual(RegisterCodec.encode(-15.0, type: .int16, scale: 10, order: .abcd), [UInt16(bitPattern: -150)])
        XCTAssertEqual(RegisterCodec.decode([UInt16(bitPattern: -150)], type: .int16, scale: 10, order: .abcd), -15)
        // 32-bit ×10, high word first: 123456.7 kWh → 1234567 = 0x0012 D687
        XCTAssertEqual(RegisterCodec.encode(123456.7, type: .uint32, scale: 10, order: .abcd), [0x0012, 0xD687])
        XCTAssertEqual(RegisterCodec.decode([0x0012, 0xD687], type: .uint32, scale: 10, order: .abcd)!, 123456.7, accuracy: 1e-9)
        // out of the type's range or no value: the invalid sentinel, never a clamped number
        XCTAssertEqual(RegisterCodec.encode(4000, type: .int16, scale: 10, order: .abcd), [0x8000])
        XCTAssertEqual(RegisterCodec.encode(-1, type: .uint16, scale: 1, order: .abcd), [0xFFFF])
        XCTAssertEqual(RegisterCodec.encode(nil, type: .float32, scale: 1, order: .abcd), [0x7FC0, 0x0000])
        // in the device's word order: a CDAB client decodes NaN, not 4.6e-41 (the integrator's F3)
        XCTAssertEqual(RegisterCodec.encode(nil, type: .float32, scale: 1, order: .cdab), [0x0000, 0x7FC0])
        XCTAssertTrue(Float(bitPattern: RegisterCodec.bits([0x0000, 0x7FC0], .cdab)).isNaN)
        XCTAssertNil(RegisterCodec.decode([0x0000, 0x7FC0], type: .float32, scale: 1, order: .cdab))
        XCTAssertEqual(RegisterCodec.encode(nil, type: .int32, scale: 10, order: .cdab), [0x0000, 0x8000])
        XCTAssertNil(RegisterCodec.decode([0x0000, 0x8000], type: .int32, scale: 10, order: .cdab))
        XCTAssertEqual(RegisterCodec.encode(1e39, type: .float32, scale: 1, order: .abcd), [0x7FC0, 0x0000], "beyond float32: invalid, not infinity")
        // −0.0 (a stopped boiler's output) is served as 0 (the integrator's F12)
        XCTAssertEqual(RegisterCodec.encode(-0.0, type: .float32, scale: 1, order: .abcd), [0, 0])
        XCTAssertEqual(RegisterCodec.encode(-0.0, type: .int16, scale: 10, order: .abcd), [0])
        XCTAssertNil(RegisterCodec.decode([0x8000], type: .int16, scale: 10, order: .abcd))
    }
}

final class DeviceProfileTests: XCTestCase {
    let tags: [String: [String: PointSpec]] = ["heatMeter": [
        "meter.energy": PointSpec(unit: "kWh", description: "Energy index"), "meter.power": PointSpec(unit: "kW"),
        "meter.flow": PointSpec(unit: "m³/h", writable: true, min: 0, max: 50), "meter.serial": PointSpec(),
    ]]
    let good = """
    name: Test meter
    kind: heatMeter
    identification: { vendor: ACME, productCode: HM-1, revision: "2.1" }
    wordOrder: CDAB
    inputRegisters:
      - { address: 0, tag: meter.energy, type: float32 }
      - { address: 2, tag: meter.power, type: float32 }
    holdingRegisters:
      - { address: 10, tag: meter.flow, type: uint16, scale: 100 }
    """

    func testParsesAProfile() throws {
        let p = try DeviceProfile.parse(text: good, file: "m.yaml", knownTags: tags)
        XCTAssertEqual(p.wordOrder, .cdab)
        XCTAssertEqual(p.entries.count, 3)
        XCTAssertEqual(p.entries(in: .inputRegisters).map(\.reference), [30001, 30003])
        XCTAssertEqual(p.entries(in: .holdingRegisters)[0].reference, 40011)
        XCTAssertEqual(p.vendor, "ACME")
        // what the catalogue says of a point comes from it: unit, description, access and range
        XCTAssertEqual(p.entries[0].unit, "kWh")
        XCTAssertEqual(p.entries[0].description, "Energy index")
        let flow = p.entries(in: .holdingRegisters)[0]
        XCTAssertTrue(flow.writable)
        XCTAssertEqual(flow.min, 0); XCTAssertEqual(flow.max, 50)
        XCTAssertFalse(p.entries(in: .inputRegisters)[1].writable)
    }

    func testChecksNameFileLineAndField() {
        func expect(_ text: String, field: String, line: Int, _ contains: String, l: UInt = #line) {
            XCTAssertThrowsError(try DeviceProfile.parse(text: text, file: "m.yaml", knownTags: tags), line: l) { e in
                let e = e as! FileError
                XCTAssertEqual(e.file, "m.yaml", line: l)
                XCTAssertEqual(e.field, field, line: l)
                XCTAssertEqual(e.line, line, line: l)
                XCTAssertTrue(e.message.contains(contains), "\(e)", line: l)
            }
        }
        // overlap: a float at 1 runs into the one at 0
        expect(good.replacingOccurrences(of: "address: 2, tag: meter.power", with: "address: 1, tag: meter.power"),
               field: "inputRegisters[1].address", line: 7, "overlaps the entry at line 6")
        expect(good.replacingOccurrences(of: "tag: meter.power", with: "tag: meter.volume"), field: "inputRegisters[1].tag", line: 7, "no tag")
        // declared once: a profile that restates a unit or a range is refused
        expect(good.replacingOccurrences(of: "scale: 100 }", with: "scale: 100, min: 0, max: 50 }"), field: "holdingRegisters[0].min", line: 9, "declared once")
        expect(good.replacingOccurrences(of: "tag: meter.power, type: float32", with: "tag: meter.power, type: float32, unit: kW"),
               field: "inputRegisters[1].unit", line: 7, "declared once")
        // a profile may serve a writable point read-only, never the other way round
        expect(good.replacingOccurrences(of: "tag: meter.power, type: float32", with: "tag: meter.power, type: float32, access: rw"),
               field: "inputRegisters[1].access", line: 7, "read-only in Modbus")
        XCTAssertFalse(try DeviceProfile.parse(text: good.replacingOccurrences(of: "scale: 100 }", with: "scale: 100, access: r }"), file: "m.yaml",
                                               knownTags: tags).entries(in: .holdingRegisters)[0].writable)
        expect(good.replacingOccurrences(of: "wordOrder: CDAB", with: "wordOrder: BACD"), field: "wordOrder", line: 4, "expected ABCD")
        expect(good.replacingOccurrences(of: "type: uint16", with: "type: int64"), field: "holdingRegisters[0].type", line: 9, "expected int16")
    }
}
