import ArgumentParser
import Foundation
import Historian
import ModbusServer
import PlantRecording
import Reporting
import Serving
import SimulationCore
import Training
import Scenario

/// A request to a running daemon's control API; prints the JSON it answers.
struct APIClient {
    let address: String
    func call(_ method: String, _ path: String, _ body: [String: Any]? = nil) throws -> String {
        let parts = address.split(separator: ":")
        guard parts.count == 2, let port = UInt16(parts[1]) else { throw ValidationError("--api: give IPV4:PORT, such as 127.0.0.1:1503") }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        inet_pton(AF_INET, String(parts[0]), &addr.sin_addr)
        let ok = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard ok == 0 else { throw CommandError(message: "no daemon's control API at \(address) (is `chaufferie serve` running?)") }
        let data = try body.map { try JSONSerialization.data(withJSONObject: $0) } ?? Data()
        let req = Array("\(method) \(path) HTTP/1.1\r\nHost: \(address)\r\nContent-Type: application/json\r\nContent-Length: \(data.count)\r\nConnection: close\r\n\r\n".utf8) + Array(data)
        _ = req.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var out = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            out += chunk[0..<n]
        }
        let text = String(decoding: out, as: UTF8.self)
        guard let sep = text.range(of: "\r\n\r\n") else { throw ValidationError("the daemon answered nothing") }
        let status = text.components(separatedBy: "\r\n").first ?? ""
        let bodyText = String(text[sep.upperBound...])
        guard status.contains(" 200 ") else { throw CommandError(message: "\(status.dropFirst(9)): \(bodyText)") }
        return bodyText
    }
}

struct Fault: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Injects or clears a fault in a running daemon (the instructor's control).",
        discussion: "KIND: boilerFault (--boiler, --fault), boilerOut or gasLockout (--boiler), heatPumpFault (--heat-pump, --fault wellPumpTrip|lowSourceFlow|fouledExchanger), solarPumpFault or recoveredTrip (--source), meterFault, secondaryPumpFault or valveStuck (--building), networkPumpFault, bufferSensor, leak (--m3-per-h), outdoorSensor (--mode failed|drift, --drift-k), commFault (--unit, --mode late|silent|exception04|exception06|drop|offline, --delay-ms).")
    @Argument(help: "inject or clear.") var action: String
    @Argument(help: "Kind of fault.") var kind: String
    @Option var boiler: String?
    @Option var fault: String?
    @Option var building: String?
    @Option var heatPump: String?
    @Option(help: "A solar field or a recovered-heat source (solarPumpFault, recoveredTrip).") var source: String?
    @Option var mode: String?
    @Option var driftK: Double?
    @Option var unit: Int?
    @Option var delayMs: Int?
    @Option(name: .customLong("m3-per-h")) var m3PerH: Double?
    @Option(help: "The daemon's control API.") var api: String = "127.0.0.1:1503"
    func run() throws {
        guard action == "inject" || action == "clear" else { throw ValidationError("Please say inject or clear.") }
        var body: [String: Any] = ["kind": kind]
        if let v = boiler { body["boiler"] = v }
        if let v = fault { body["fault"] = v }
        if let v = building { body["building"] = v }
        if let v = heatPump { body["heatPump"] = v }
        if let v = source { body["source"] = v }
        if let v = mode { body["mode"] = v }
        if let v = driftK { body["driftK"] = v }
        if let v = unit { body["unit"] = v }
        if let v = delayMs { body["delayMs"] = v }
        if let v = m3PerH { body["m3PerH"] = v }
        print(try APIClient(address: api).call("POST", action == "inject" ? "/faults" : "/faults/clear", body))
    }
}

struct Alarms: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Lists or acknowledges the alarms of a running daemon.")
    @Argument(help: "list or ack.") var action: String
    @Option(help: "The alarm to acknowledge (default: all).") var id: String?
    @Option(help: "The daemon's control API.") var api: String = "127.0.0.1:1503"
    func run() throws {
        switch action {
        case "list": print(try APIClient(address: api).call("GET", "/alarms"))
        case "ack": print(try APIClient(address: api).call("POST", "/alarms/ack", id.map { ["id": $0] } ?? [:]))
        default: throw ValidationError("Please say list or ack.")
        }
    }
}

struct Speed: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Changes the speed of a running daemon (simulated seconds per wall second).")
    @Argument var speed: Double
    @Option(help: "The daemon's control API.") var api: String = "127.0.0.1:1503"
    func run() throws { print(try APIClient(address: api).call("POST", "/speed", ["speed": speed])) }
}

struct Deliver: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Has trucks of chips delivered to a running daemon's silo now.")
    @Option var trucks: Int = 1
    @Option(help: "The daemon's control API.") var api: String = "127.0.0.1:1503"
    func run() throws { print(try APIClient(address: api).call("POST", "/deliver", ["trucks": trucks])) }
}
