import XCTest
import Foundation
import Serving
import SimulationCore
import Scenario
#if canImport(Glibc)
import Glibc
#endif

/// The web console's server side (issue 15): the live stream, the metrics, the instructor's
/// token. The page itself is driven in real Chromium by `scripts/console-check.py`.
final class WebConsoleTests: XCTestCase {
    /// One HTTP/1.1 exchange on loopback: the status and what came back before `limit` bytes or
    /// the server closed (a stream is cut at `limit`).
    func http(_ port: UInt16, _ method: String, _ path: String, body: String = "", headers: [String] = [], limit: Int = 1 << 20) -> (Int, String) {
        let (fd, r, e) = loopbackConnect(port)
        defer { close(fd) }
        guard r == 0 else { return (0, "connect: errno \(e)") }
        var tv = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        let request = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: \(body.utf8.count)\r\n"
            + (body.isEmpty ? "" : "Content-Type: application/json\r\n") + headers.map { $0 + "\r\n" }.joined() + "\r\n" + body
        _ = request.withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while out.count < limit {
            let n = recv(fd, &buf, buf.count, 0)
            if n <= 0 { break }
            out += buf[0..<n]
        }
        let text = String(decoding: out, as: UTF8.self)
        let status = Int(text.split(separator: " ").dropFirst().first ?? "") ?? 0
        return (status, text.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n"))
    }

    func daemonWithConsole(token: String?) throws -> (RunningDaemon, ControlAPI) {
        let spec = try ScenarioLoader.load(path: packagePath("Scenarios/wangenbourg-trace1.yaml"))
        let devices = try ServedDevices.resolve(spec, profilesDirectory: packagePath("DeviceProfiles"))
        let web = ControlAPI(console: ConsoleFeed(devices: devices, historian: nil, token: token))
        try web.start(host: "127.0.0.1", port: 0)
        let running = try RunningDaemon(simulation: Simulation(try PlantBuilder.build(spec, days: 1)), speed: 60, devices: devices,
                                        clock: ContinuousClock()) { $0.web = web }
        return (running, web)
    }

    func testTheLiveStreamCarriesEveryDeviceAndTheMetricsCountModbusRequests() throws {
        let (running, web) = try daemonWithConsole(token: nil)
        defer { running.stop() }
        let (status, text) = http(web.port, "GET", "/live", limit: 4096)
        XCTAssertEqual(status, 200)
        // (Swift reads "\r\n", the chunk header's end, as one character: split on the scalars)
        let line = try XCTUnwrap(text.unicodeScalars.split(separator: "\n").map { String(String.UnicodeScalarView($0)) }.first { $0.hasPrefix("data: ") }, String(text.prefix(300)))
        // a stream cut at 4 KiB may end inside the first event: read the whole one from the feed
        XCTAssertTrue(line.contains("\"devices\""), line)
        let full = try XCTUnwrap(web.console?.latest().json)
        let obj = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(full.utf8)) as? [String: Any])
        let devices = try XCTUnwrap(obj["devices"] as? [String: Any])
        XCTAssertEqual(Set(devices.keys), Set(running.devices.map(\.device)))
        XCTAssertNotNil(obj["alarms"] as? [Any])

        func requests() -> Int {
            let (_, m) = http(web.port, "GET", "/metrics")
            return m.split(separator: "\n").filter { $0.hasPrefix("chaufferie_modbus_requests_total{") }
                .compactMap { Int($0.split(separator: " ").last ?? "") }.reduce(0, +)
        }
        let before = requests()
        // 20 reads of unit 1 (FC 03, 2 registers) on one connection
        let (fd, r, _) = loopbackConnect(running.port)
        XCTAssertEqual(r, 0)
        for k in 0..<20 {
            let req: [UInt8] = [0, UInt8(k + 1), 0, 0, 0, 6, 1, 3, 0, 0, 0, 2]
            XCTAssertEqual(send(fd, req, req.count, Int32(MSG_NOSIGNAL)), req.count)
            var reply = [UInt8](repeating: 0, count: 64)
            XCTAssertEqual(recv(fd, &reply, reply.count, 0), 13)
        }
        close(fd)
        XCTAssertEqual(requests() - before, 20, "each Modbus request counted once")
    }

    func testWithATokenTheConsoleIsReadOnlyForThoseWithoutIt() throws {
        let (running, web) = try daemonWithConsole(token: "s3cret")
        defer { running.stop() }
        XCTAssertEqual(http(web.port, "GET", "/points").0, 200, "reading is open")
        let (refused, why) = http(web.port, "POST", "/speed", body: #"{"speed": 0}"#)
        XCTAssertEqual(refused, 403, why)
        XCTAssertEqual(http(web.port, "POST", "/speed", body: #"{"speed": 0}"#, headers: ["Authorization: Bearer wrong"]).0, 403)
        XCTAssertEqual(running.daemon.speed, 60, "a refused instruction changes nothing")
        let (taken, answer) = http(web.port, "POST", "/speed", body: #"{"speed": 0}"#, headers: ["Authorization: Bearer s3cret"])
        XCTAssertEqual(taken, 200, answer)
        XCTAssertEqual(running.daemon.speed, 0)
    }
}
