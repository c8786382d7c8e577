import Foundation
import Logging
import ServiceLifecycle
import UnixSignals
import PlantRecording
import SimulationCore
import Historian

/// The daemon's parts as services of one `ServiceGroup` (swift-service-lifecycle), started in
/// this order and stopped gracefully in the reverse one:
///
///   1. historian writer: closes the recording session last, with the plant's final values;
///   2. snapshotter: writes the retentive memory the loop hands it, the last one included;
///   3. simulation loop: steps the plant at `speed` × the clock, publishes the register image,
///      carries out writes and commands; on shutdown carries out the writes the Modbus server
///      answered before it stopped, then hands over the last state;
///   4. control API (if started): stops taking commands, answers those waiting 503;
///   5. Modbus server: stops first, so no write is answered that would not be carried out.
///
/// The loop runs on the clock it is given: `ContinuousClock` when serving, a test clock in tests
/// (nothing in the daemon reads the wall clock otherwise).
extension Daemon {
    /// The group running this daemon on `clock` until a graceful shutdown (one of `signals`, or
    /// `triggerGracefulShutdown()`) or, if `untilS` is finite, until the simulated time reaches it.
    public func serviceGroup<C: Clock>(clock: C, tickS: Double = 0.02, untilS: Double = .infinity,
                                       signals: [UnixSignal] = [], logger: Logger? = nil) -> ServiceGroup where C.Duration == Duration {
        let (states, snapshots) = AsyncStream.makeStream(of: RetainedState.self, bufferingPolicy: .bufferingNewest(1))
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        // a service that ends on its own (the loop reaching `untilS`) shuts the rest down in order
        func add(_ s: any Service, _ name: String) {
            services.append(.init(service: s, successTerminationBehavior: .gracefullyShutdownGroup,
                                  failureTerminationBehavior: .gracefullyShutdownGroup, serviceName: name))
        }
        add(HistorianWriter(daemon: self), "historian writer")
        if statePath != nil { add(Snapshotter(daemon: self, states: states), "snapshotter") }
        add(SimulationLoop(daemon: self, clock: clock, tickS: tickS, untilS: untilS, snapshots: statePath == nil ? nil : snapshots), "simulation loop")
        if let api { add(ControlAPIService(api: api), "control API") }
        if let web { add(ControlAPIService(api: web), "web console") }
        add(ModbusService(daemon: self), "Modbus server")
        var quiet = Logger(label: "chaufferie.services")
        quiet.logLevel = .warning
        return ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: signals, logger: logger ?? quiet))
    }

    /// The statistics of the historian session closed by the group's writer (nil before, or when
    /// nothing is recorded).
    public var recordingStatistics: Recorder.Statistics? { finishedRecording }

    /// One batch of the loop: carries out writes and commands, steps the plant up to `targetS`,
    /// republishes what may have changed, applies communication faults, hands the recording its
    /// samples. Returns the number of steps taken.
    func batch(targetS: Double) -> Int {
        let wrote = applyWrites()
        let commanded = applyAPICommands()
        var steps = 0
        while simulation.timeS + simulation.stepS <= targetS + 1e-9 && steps < 200_000 {
            simulation.step()
            if let r = recording, r.wants(simulation.timeS) { r.observe(simulation) }
            if score != nil, Simulation.isWatchTime(simulation.timeS) { score!.observe(simulation) }
            steps += 1
        }
        applyCommFaults()
        // the register image is rebuilt only when something it shows may have changed: steps
        // taken, writes or commands carried out, meter indexes written
        let metersShown = persistMeters()
        if steps > 0 || wrote || commanded || metersShown { republish() }
        feedConsole(force: wrote || commanded)
        recording?.flush()
        return steps
    }
}

/// Steps the plant against a clock (see `Daemon.serviceGroup`).
struct SimulationLoop<C: Clock>: Service where C.Duration == Duration {
    let daemon: Daemon
    let clock: C
    let tickS: Double
    /// The longest wait between two batches when no step falls due (s).
    let idleS = 0.1
    let untilS: Double
    /// Where the retentive memory goes to be saved (nil: not saved).
    let snapshots: AsyncStream<RetainedState>.Continuation?

    func run() async throws {
        // a graceful shutdown cancels the loop (its wait on the clock ends at once, whatever the
        // clock); what follows the loop runs after it
        await cancelWhenGracefulShutdown { await self.loop() }
        finish()
    }

    private func loop() async {
        let d = daemon
        let origin = clock.now
        d.markLoopStarted()
        var start = origin
        var sim0 = d.simulation.timeS
        var tick = 0
        var speedInForce = d.speed
        var lastSnapshot = clock.now
        func seconds(_ from: C.Instant) -> Double { Daemon.seconds(from.duration(to: clock.now)) }
        // at once: a daemon killed in its first seconds restarts from here, not from an older state
        snapshots?.yield(RetainedState(d.simulation, catalogue: d.catalogue))
        while d.simulation.timeS < untilS {
            if d.speed != speedInForce {
                // a new speed (the instructor's) counts from now, without a jump of the clock
                start = clock.now; sim0 = d.simulation.timeS; tick = 0; speedInForce = d.speed
            }
            d.clockS = seconds(origin)
            // (the speed read after the batch's commands: a speed ordered in this batch counts from the next)
            _ = d.batch(targetS: min(untilS, sim0 + seconds(start) * speedInForce))
            if snapshots != nil && seconds(lastSnapshot) >= d.snapshotEveryS {
                snapshots?.yield(RetainedState(d.simulation, catalogue: d.catalogue))
                lastSnapshot = clock.now
            }
            if Task.isCancelled { break }
            // the next batch: the next tick, or later when no step falls due before (at speed 1
            // a step every second): the last tick before the next step, at most `idleS` ahead, so
            // writes and commands are still carried out within that time
            let dueS = speedInForce > 0 ? (d.simulation.timeS + d.simulation.stepS - sim0) / speedInForce : .infinity
            tick = max(tick + 1, Int((min(dueS, seconds(start) + idleS) / tickS).rounded(.down)))
            let next = start.advanced(by: .milliseconds(Int64(Double(tick) * tickS * 1000)))
            if next > clock.now { try? await clock.sleep(until: next, tolerance: nil) }
        }
    }

    private func finish() {
        let d = daemon
        // the Modbus server and the API have stopped (the group stops them first): the writes a
        // client was answered for (a normal reply means the write took effect) are carried out
        // before the retentive memory is handed over for the last time
        d.applyWrites()
        d.applyAPICommands()
        d.recording?.flush()
        if let s = d.score {
            d.recording?.note(HistorianEvent(t: d.simulation.timeS, kind: "exercise_score", source: s.exercise.file, tag: "",
                                             value: Double(s.points), text: s.text))
        }
        snapshots?.yield(RetainedState(d.simulation, catalogue: d.catalogue))
        snapshots?.finish()
        // (ended on its own at `untilS`: the group then shuts the others down, the Modbus server
        // first; a write answered in between is not carried out — `untilS` is for tests)
    }
}

/// Writes the retentive memory the loop hands over, one at a time, the newest only; ends after
/// the loop's last one.
struct Snapshotter: Service {
    let daemon: Daemon
    let states: AsyncStream<RetainedState>

    func run() async throws {
        for await s in states { daemon.save(s) }
        // the loop has ended; a service must not end before its turn in the shutdown
        try? await gracefulShutdown()
    }
}

/// Closes the historian session once everything else has stopped.
struct HistorianWriter: Service {
    let daemon: Daemon

    func run() async throws {
        try? await gracefulShutdown()
        daemon.finishRecording()
    }
}

/// The Modbus server (already listening: its port is known before the group runs), stopped first.
struct ModbusService: Service {
    let daemon: Daemon

    func run() async throws {
        try? await gracefulShutdown()
        for s in daemon.servers { s.stop() }
    }
}

/// The instructor's API (already listening), stopped after the Modbus server.
struct ControlAPIService: Service {
    let api: ControlAPI

    func run() async throws {
        try? await gracefulShutdown()
        await api.shutdown()
    }
}
