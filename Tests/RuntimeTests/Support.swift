import Foundation
import Logging
import PlantRecording
import Reporting
import Serving
import SimulationCore
import Training
import Scenario
import ServiceLifecycle
import Clocks
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A blocking TCP connection to 127.0.0.1:`port`: the socket, `connect`'s result and its errno.
func loopbackConnect(_ port: UInt16) -> (fd: Int32, result: Int32, error: Int32) {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var a = sockaddr_in()
    a.sin_family = sa_family_t(AF_INET); a.sin_port = port.bigEndian
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr)
    let r = withUnsafePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
    return (fd, r, errno)
}

func packagePath(_ relative: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(relative).path
}

/// Runs a scenario as `chaufferie run` does: optional warm-up left out of the figures.
func runScenario(_ path: String, warmUpS: Double = 0, durationS: Double, seed: UInt64? = nil, recordTo db: String? = nil) throws -> (RunReport, Simulation) {
    var spec = try ScenarioLoader.load(path: packagePath(path))
    if let s = seed { spec.seed = s }
    let days = Int(((warmUpS + durationS) / 86400).rounded(.up))
    var sim = Simulation(try PlantBuilder.build(spec, days: days))
    if warmUpS > 0 { sim.run(durationS: warmUpS); sim.resetStatistics() }
    let recording = try db.map { try Recording(path: $0, sim: sim, periodS: 60, command: "test") }
    sim.run(durationS: durationS, recording: recording)
    if let r = recording {
        let st = r.finish(sim)
        precondition(st.lostSamples == 0, "the historian lost samples: \(st)")
    }
    return (RunReport(sim), sim)
}

/// Runs a scenario with the dynamics audit watching (every 10 simulated seconds).
func runScenarioAudited(_ path: String, durationS: Double, recordTo db: String? = nil) throws -> (RunReport, Simulation, DynamicsAudit) {
    let spec = try ScenarioLoader.load(path: packagePath(path))
    var sim = Simulation(try PlantBuilder.build(spec, days: Int((durationS / 86400).rounded(.up))))
    let audit = DynamicsAudit(sim: sim, windows: DynamicsAudit.referenceWindows(year: spec.start.year))
    let recording = try db.map { try Recording(path: $0, sim: sim, periodS: 60, command: "test") }
    sim.run(durationS: durationS, recording: recording, watch: { audit.observe($0) })
    if let r = recording {
        let st = r.finish(sim)
        precondition(st.lostSamples == 0, "the historian lost samples: \(st)")
    }
    return (RunReport(sim), sim, audit)
}

/// The reference plant's daemon on an ephemeral loopback port, its service group run in a task
/// on `clock` (the wall clock unless a test passes a test clock) until `stop()`; the test sees it
/// only through Modbus.
final class RunningDaemon: @unchecked Sendable {
    let daemon: Daemon
    let devices: [ServedDevice]
    /// The simulation's step, s.
    let stepS: Double
    private let group: ServiceGroup
    private var task: Task<Void, Never>?

    convenience init(speed: Double, maxConnections: Int = 64, days: Int = 2) throws {
        let spec = try ScenarioLoader.load(path: packagePath("Scenarios/wangenbourg-trace1.yaml"))
        try self.init(simulation: Simulation(try PlantBuilder.build(spec, days: days)), speed: speed, maxConnections: maxConnections)
    }

    /// Serves `simulation` (already run to the moment a test wants) from where it stands;
    /// `configure` sets the daemon up (state file, recording) before its services start.
    init<C: Clock>(simulation: Simulation, speed: Double, maxConnections: Int = 64, devices: [ServedDevice]? = nil, catalogue: Catalogue = .standard,
                   clock: C, configure: (Daemon) throws -> Void = { _ in }) throws where C.Duration == Duration {
        stepS = simulation.stepS
        self.devices = try devices ?? ServedDevices.resolve(simulation.spec, profilesDirectory: packagePath("DeviceProfiles"))
        daemon = try Daemon(simulation: simulation, devices: self.devices, speed: speed, maxConnections: maxConnections, catalogue: catalogue,
                            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        try configure(daemon)
        try daemon.listen(host: "127.0.0.1", port: 0)
        group = daemon.serviceGroup(clock: clock)
        let g = group
        task = Task { try? await g.run() }
        // the loop reads its clock's origin on its own task: a test clock advanced before that
        // would advance nothing (seen once in CI under load); wait for it, at most 10 s
        for _ in 0..<1000 where !daemon.loopHasStarted { usleep(10_000) }
    }

    convenience init(simulation: Simulation, speed: Double, maxConnections: Int = 64, devices: [ServedDevice]? = nil, catalogue: Catalogue = .standard) throws {
        try self.init(simulation: simulation, speed: speed, maxConnections: maxConnections, devices: devices, catalogue: catalogue, clock: ContinuousClock())
    }

    var port: UInt16 { daemon.server.port }

    /// Advances the test clock the daemon runs on by `seconds` and waits (at most 10 s of wall
    /// time) until the register image shows the simulated time that leads to.
    func advance(_ clock: TestClock<Duration>, by seconds: Double) async throws {
        let target = daemon.publishedTimeS + seconds * daemon.speed
        await clock.advance(by: .milliseconds(Int64(seconds * 1000)))
        for _ in 0..<1000 where daemon.publishedTimeS < target - stepS { try await Task.sleep(for: .milliseconds(10)) }
        XCTAssertGreaterThanOrEqual(daemon.publishedTimeS, target - stepS, "the loop did not follow the clock")
    }

    /// Shuts the services down in order and returns once they all have ended.
    func stop() async {
        await group.triggerGracefulShutdown()
        await task?.value
    }

    /// The same, for a synchronous test.
    func stop() {
        let done = DispatchSemaphore(value: 0)
        Task { await self.stop(); done.signal() }
        done.wait()
    }
}
