import XCTest
import ModbusServer
import RegisterMap

final class RequestCheckTests: XCTestCase {
    let map: UnitMap = {
        let text = """
        name: t
        kind: k
        identification: { vendor: V, productCode: P, revision: "1" }
        inputRegisters:
          - { address: 0, tag: a, type: float32 }
          - { address: 2, tag: b, type: int16, scale: 10 }
        holdingRegisters:
          - { address: 0, tag: sp, type: int16, scale: 10 }
          - { address: 1, tag: f, type: float32 }
          - { address: 3, tag: ro, type: uint16 }
        coils:
          - { address: 0, tag: en }
        """
        let p = try! DeviceProfile.parse(text: text, file: "t.yaml", knownTags: ["k": [
            "a": PointSpec(), "b": PointSpec(), "sp": PointSpec(writable: true, min: 10, max: 90), "f": PointSpec(writable: true, min: 0, max: 100),
            "ro": PointSpec(), "en": PointSpec(writable: true, min: 0, max: 1),
        ]])
        return UnitMap(unit: 5, profile: p)
    }()

    func v(_ pdu: [UInt8]) -> RequestVerdict { RequestCheck.check(pdu: pdu, map: map) }

    func testReads() {
        XCTAssertEqual(v([0x04, 0, 0, 0, 3]), .reply(writes: []))
        XCTAssertEqual(v([0x04, 0, 0, 0, 4]), .exception(.illegalDataAddress))     // past the map
        XCTAssertEqual(v([0x04, 0, 0, 0, 0]), .exception(.illegalDataValue))       // quantity 0
        XCTAssertEqual(v([0x03, 0, 0, 0, 126]), .exception(.illegalDataValue))     // more than 125
        XCTAssertEqual(v([0x03, 0, 0, 0, 1, 9]), .exception(.illegalDataValue))    // length not as implied
        XCTAssertEqual(v([0x07]), .exception(.illegalFunction))
        XCTAssertEqual(v([0x08, 0, 0, 0, 0]), .exception(.illegalFunction))
    }

    func testWritesAreCheckedWhole() {
        XCTAssertEqual(v([0x06, 0, 0, 0x01, 0xF4]), .reply(writes: [PointWrite(unit: 5, tag: "sp", value: 50)]))
        XCTAssertEqual(v([0x06, 0, 0, 0x03, 0xE8]), .exception(.illegalDataValue))    // 100.0 > 90
        XCTAssertEqual(v([0x06, 0, 1, 0x42, 0x48]), .exception(.illegalDataAddress))  // half of a float
        XCTAssertEqual(v([0x06, 0, 3, 0, 1]), .exception(.illegalDataAddress))        // read-only point
        // FC 16: sp = 20.0 and f = 50.0 (0x4248 0000) → both; f = 200 → refused whole
        XCTAssertEqual(v([0x10, 0, 0, 0, 3, 6, 0, 200, 0x42, 0x48, 0, 0]),
                       .reply(writes: [PointWrite(unit: 5, tag: "sp", value: 20), PointWrite(unit: 5, tag: "f", value: 50)]))
        XCTAssertEqual(v([0x10, 0, 0, 0, 3, 6, 0, 200, 0x43, 0x48, 0, 0]), .exception(.illegalDataValue))
        XCTAssertEqual(v([0x10, 0, 0, 0, 3, 5, 0, 200, 0x42, 0x48, 0]), .exception(.illegalDataValue))  // byte count
        XCTAssertEqual(v([0x05, 0, 0, 0xFF, 0x00]), .reply(writes: [PointWrite(unit: 5, tag: "en", value: 1)]))
        XCTAssertEqual(v([0x05, 0, 0, 0x12, 0x34]), .exception(.illegalDataValue))
        XCTAssertEqual(v([0x0F, 0, 0, 0, 1, 1, 0]), .reply(writes: [PointWrite(unit: 5, tag: "en", value: 0)]))
        XCTAssertEqual(v([0x17, 0, 0, 0, 1, 0, 0, 0, 1, 2, 0, 150]), .reply(writes: [PointWrite(unit: 5, tag: "sp", value: 15)]))
    }

    func testDeviceIdentification() {
        XCTAssertEqual(v([0x2B, 0x0E, 1, 0]), .deviceIdentification(readCode: 1, objectId: 0))
        let pdu = RequestCheck.deviceIdentification(readCode: 1, objectId: 0, profile: map.profile)
        XCTAssertEqual(Array(pdu[0..<7]), [0x2B, 0x0E, 1, 1, 0, 0, 3])
        XCTAssertEqual(Array(pdu[7...9]), [0, 1, UInt8(ascii: "V")])
    }
}
