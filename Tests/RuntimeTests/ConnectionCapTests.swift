import XCTest
import Foundation
import Runtime
import Scenario
#if canImport(Glibc)
import Glibc
#endif

/// Connections are capped: beyond the cap the one idle the longest is closed, and the newcomer is
/// served.
final class ConnectionCapTests: XCTestCase {
    func testOldestIdleConnectionIsClosedBeyondTheCap() throws {
        let running = try RunningDaemon(speed: 60, maxConnections: 3, days: 1)
        defer { running.stop() }

        func connect() -> Int32 {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var a = sockaddr_in()
            a.sin_family = sa_family_t(AF_INET); a.sin_port = running.port.bigEndian
            inet_pton(AF_INET, "127.0.0.1", &a.sin_addr)
            let r = withUnsafePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            XCTAssertEqual(r, 0)
            var tv = timeval(tv_sec: 1, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
            return fd
        }
        /// One FC 03 read of unit 1 register 0, 2 registers; true when answered.
        func poll(_ fd: Int32) -> Bool {
            let req: [UInt8] = [0, 1, 0, 0, 0, 6, 1, 3, 0, 0, 0, 2]
            guard send(fd, req, req.count, Int32(MSG_NOSIGNAL)) == req.count else { return false }
            var buf = [UInt8](repeating: 0, count: 64)
            return recv(fd, &buf, buf.count, 0) == 13
        }
        var fds: [Int32] = []
        for _ in 0..<3 { let fd = connect(); fds.append(fd); XCTAssertTrue(poll(fd)); usleep(50_000) }
        // the first is now the one idle the longest; keep the others busy
        XCTAssertTrue(poll(fds[1])); XCTAssertTrue(poll(fds[2]))
        let newcomer = connect()
        XCTAssertTrue(poll(newcomer))
        var buf = [UInt8](repeating: 0, count: 16)
        XCTAssertEqual(recv(fds[0], &buf, buf.count, 0), 0, "the oldest idle connection was closed")
        XCTAssertTrue(poll(fds[1])); XCTAssertTrue(poll(fds[2]))
        for fd in fds + [newcomer] { close(fd) }
    }
}
