import XCTest
import ModbusServer

/// `serve --write-allow` and `--read-only` (issue 10): who may write.
final class WritePolicyTests: XCTestCase {
    func ip(_ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: UInt32) -> UInt32 { a << 24 | b << 16 | c << 8 | d }

    func testAllowListOfAddressesAndNetworks() throws {
        let p = try WritePolicy(allowList: "127.0.0.1, 10.0.0.0/8,192.168.1.0/24")
        XCTAssertTrue(p.allows(ip(127, 0, 0, 1)))
        XCTAssertFalse(p.allows(ip(127, 0, 0, 2)))
        XCTAssertTrue(p.allows(ip(10, 200, 3, 4)))
        XCTAssertFalse(p.allows(ip(11, 0, 0, 1)))
        XCTAssertTrue(p.allows(ip(192, 168, 1, 77)))
        XCTAssertFalse(p.allows(ip(192, 168, 2, 77)))
        XCTAssertTrue(try WritePolicy(allowList: "0.0.0.0/0").allows(ip(8, 8, 8, 8)))
        XCTAssertTrue(WritePolicy.everyone.allows(ip(1, 2, 3, 4)))
        XCTAssertFalse(WritePolicy.nobody.allows(ip(127, 0, 0, 1)))
    }

    func testBadEntriesAreRefusedByName() {
        for bad in ["10.0.0.300", "10.0.0.0/33", "10.0.0.0/x", "", "localhost", "1.2.3.4/8/9", "127.0.0.1,,"] {
            XCTAssertThrowsError(try WritePolicy(allowList: bad), bad) { e in XCTAssertTrue("\(e)".hasPrefix("--write-allow: '"), "\(e)") }
        }
    }

    func testWriteFunctionsAreTheFourWritesMaskWriteAndReadWrite() {
        XCTAssertEqual(RequestCheck.writeFunctions, [0x05, 0x06, 0x0F, 0x10, 0x16, 0x17])
    }
}
