import ArgumentParser
import Foundation
import Logging
import Historian
import ModbusServer
import PlantRecording
import Reporting
import Serving
import SimulationCore
import Training
import Scenario
import ServiceLifecycle
import UnixSignals

struct Chaufferie: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chaufferie",
        abstract: "A simulated district-heating plant: wood-chip boilers, heat network, substations.",
        subcommands: [Serve.self, Run.self, Report.self, Export.self, Replay.self, Fault.self, Alarms.self, Speed.self, Deliver.self, Check.self, Points.self, Generate.self])
}

/// A duration like 365d, 12h, 90m or 3600s.
struct Duration: ExpressibleByArgument {
    let seconds: Double
    init?(argument: String) {
        let units: [Character: Double] = ["d": 86400, "h": 3600, "m": 60, "s": 1]
        guard let u = argument.last, let f = units[u], let v = Double(argument.dropLast()), v > 0, v <= 3650 * 86400 / f else { return nil }
        seconds = v * f
    }
}

/// Where and how a command records into the historian.
struct RecordOptions: ParsableArguments {
    @Option(help: "Historian file (SQLite) to record into.") var db: String = "./chaufferie.db"
    @Option(help: "Recording period of analog tags, simulated seconds (a multiple of 10).") var recordPeriod: Double = 60
    @Flag(help: "Do not record.") var noRecord = false
    @Option(help: .hidden) var commitLog: String?

    func validate() throws {
        guard recordPeriod >= 10, recordPeriod <= 86400, recordPeriod.truncatingRemainder(dividingBy: 10) == 0 else {
            throw ValidationError("Please give --record-period as a multiple of 10 s between 10 and 86400.")
        }
    }

    /// Opens a recording session for `sim`, or nil with --no-record.
    func open(_ sim: Simulation, command: String, start: ReplayRecord.Start) throws -> Recording? {
        if noRecord { return nil }
        do {
            return try Recording(path: db, sim: sim, periodS: recordPeriod, command: command, commitLog: commitLog, start: start,
                                 logger: Logger(label: "chaufferie.historian"))
        } catch {
            throw ValidationError("--db \(db): \(error)")
        }
    }

    /// Ends the session and says how it went on standard error.
    func close(_ r: Recording?, _ sim: Simulation) {
        guard let r else { return }
        report(r, r.finish(sim))
    }

    /// Says on standard error how a session that has ended went.
    func report(_ r: Recording?, _ statistics: Recorder.Statistics?) {
        guard let r, let st = statistics else { return }
        var line = "chaufferie: recorded \(st.committedSamples) samples and \(st.committedEvents) events into \(db) (session \(r.recorder.sessionID))"
        if st.lostSamples > 0 || st.lostEvents > 0 { line += "; LOST \(st.lostSamples) samples and \(st.lostEvents) events (\(st.lastError ?? ""))" }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Runs a scenario as fast as the machine can and prints its energy balance.")
    @Argument(help: "Scenario file.") var scenario: String = "Scenarios/wangenbourg-trace1.yaml"
    @Option(help: "How long to simulate: 365d, 72h, 90m, 3600s.") var duration: Duration = Duration(argument: "365d")!
    @Option(help: "Run this long first and leave it out of the figures (settling), e.g. 1d.") var warmUp: Duration?
    @Option(help: "Seed of the synthetic weather (default: the scenario's).") var seed: UInt64?
    @Option(help: ArgumentHelp("Physics step, s, instead of the scenario's simulation.stepSeconds: one of the steps shown within 1 % of the 1 s reference (\(ScenarioSpec.provenStepsS.map { "\($0)" }.joined(separator: ", "))). The control scan becomes the step when the scenario's is shorter or not a multiple of it.", valueName: "seconds")) var step: Double?
    @Flag(help: "Print one JSON object for scripts instead of the table.") var json = false
    @Option(help: "Simulate the network as built in this year of its connection steps (1: the first): later buildings are not served, the pipes only they need not laid.") var planYear: Int?
    @Option(help: "Also write the hourly means (outdoor, heat sent into the network, boiler output) to this CSV file.") var hourly: String?
    @Option(help: "Score this exercise (its scenario replaces the argument).") var exercise: String?
    @Flag(help: "Also audit the dynamics a commissioning engineer reads on trends (circuit cycling and stalls, DHW dips, recovery after setback, cascade starts, floor limits, DHW temperatures, alarms) over 15–28 Jan, 1–14 May and 1–14 Jul, and print the figures.") var audit = false
    @OptionGroup var record: RecordOptions

    func run() throws {
        do {
            let ex = try exercise.map { p in try Training.Exercise.load(path: p) }
            var spec = try ex?.scenario ?? ScenarioLoader.load(path: scenario)
            if let s = seed { spec.seed = s }
            spec = try spec.asBuilt(inPlanYear: planYear)
            if let st = step {
                if let why = ScenarioSpec.stepRefusal(st) { throw ValidationError("--step \(why)") }
                let n = (spec.scanS / st).rounded()
                spec.scanS = n >= 1 && n * st == spec.scanS ? spec.scanS : st
                spec.stepS = st
            }
            let warm = warmUp?.seconds ?? 0
            let days = Int(((duration.seconds + warm) / 86400).rounded(.up))
            let built = try PlantBuilder.build(spec, days: days)
            var sim = Simulation(built)
            let bar = ProgressBar(enabled: isatty(STDERR_FILENO) == 1)
            if warm > 0 {
                sim.run(durationS: warm) { bar.show($0 * warm / (warm + duration.seconds)) }
                sim.resetStatistics()
            }
            // the historian records the measured part (after the warm-up)
            let recording = try record.open(sim, command: "run --duration \(Int(duration.seconds)) s",
                                            start: .init(scenario: spec.fingerprint, seed: spec.seed, days: days, retained: nil, statisticsReset: warm > 0))
            var score = ex.map { ExerciseScore($0) }
            let dynamics = audit ? DynamicsAudit(sim: sim, windows: DynamicsAudit.referenceWindows(year: spec.start.year)) : nil
            sim.run(durationS: duration.seconds, recording: recording, progress: { bar.show((warm + $0 * duration.seconds) / (warm + duration.seconds)) },
                    watch: score == nil && dynamics == nil ? nil : { s in score?.observe(s); dynamics?.observe(s) })
            bar.finish()
            record.close(recording, sim)
            let report = RunReport(sim)
            if let path = hourly {
                guard FileManager.default.createFile(atPath: path, contents: Data(sim.statistics.hourlyCSV.utf8)) else {
                    throw ValidationError("--hourly: cannot write \(path)")
                }
            }
            if json {
                print(try report.jsonText(adding: score.map { ["exercise": $0.json] } ?? [:]))
            } else {
                print(report.text)
                if let s = score { print(s.text) }
                if let d = dynamics { print(d.report(sim: sim)) }
            }
        } catch let e as ScenarioError {
            throw ValidationError("\(e)")
        } catch let e as CalibrationError {
            throw ValidationError("\(scenario): \(e)")
        }
    }
}

struct Points: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Prints the Modbus point list of a scenario: every register of every unit.")
    @Argument(help: "Scenario file.") var scenario: String = "Scenarios/wangenbourg-trace1.yaml"
    @Option(help: "md (with the legend), csv, json, homeassistant (the Modbus integration's YAML: every point, polled every --scan-interval s, on --listen) or pyscada (a Django fixture for PyScada 0.8's Modbus: a device per unit polled every --polling s, a variable per point).") var format: String = "md"
    @Option(help: "For --format homeassistant and pyscada: the daemon's address.") var listen: String = "127.0.0.1:1502"
    @Option(help: "For --format homeassistant: seconds between two polls of a point.") var scanInterval: Int = 600
    @Option(help: "For --format pyscada: seconds between two polls of a device, one of PyScada's choices (0.1, 0.5, 1, 5, 10, 15, 30, 60, 150, 300, 600…).") var polling: Double = 5
    @Option(help: "Folder of the device profiles (default: DeviceProfiles/ beside the scenario's folder, else in it, else here).") var profiles: String?
    @Option(help: "List the points of the network as built in this year of its connection steps (as `serve --plan-year` serves it).") var planYear: Int?
    @Flag(help: "List the point catalogue instead: every point of every device type (unit, range, rules, recording, retention), served or not.") var catalogue = false

    func validate() throws {
        guard ["md", "csv", "json", "homeassistant", "pyscada"].contains(format) else { throw ValidationError("Please give --format md, csv, json, homeassistant or pyscada.") }
        guard PyScadaFixture.pollingChoices.contains(polling) else {
            throw ValidationError("Please give --polling as one of PyScada's intervals: \(PyScadaFixture.pollingChoices.map { $0 == $0.rounded() ? String(Int($0)) : String($0) }.joined(separator: ", ")) s.")
        }
        guard (1...86400).contains(scanInterval) else { throw ValidationError("Please give --scan-interval between 1 and 86400 s.") }
    }

    func run() throws {
        do {
            let spec = try ScenarioLoader.load(path: scenario).asBuilt(inPlanYear: planYear)
            if format == "homeassistant" || format == "pyscada" {
                let parts = listen.split(separator: ":")
                guard parts.count == 2, let port = Int(parts[1]), (1...65535).contains(port) else { throw ValidationError("Please give --listen HOST:PORT.") }
                let devices = try ServedDevices.resolve(spec, profilesDirectory: profiles ?? ServedDevices.profilesDirectory(for: spec.file))
                let list = PointList(devices, spec: spec)
                if format == "homeassistant" && list.severalPorts {
                    throw ValidationError("--format homeassistant: the scenario's units are on several ports, and one hub per port is not written yet; --format pyscada handles them")
                }
                print(format == "pyscada" ? PyScadaFixture(list, host: String(parts[0]), port: port, pollingS: polling).json
                      : HomeAssistantConfig(list, host: String(parts[0]), port: port, scanIntervalS: scanInterval).text, terminator: "")
                return
            }
            if catalogue {
                let list = CatalogueList(spec)
                print(format == "csv" ? list.csv : format == "json" ? list.json : list.markdown, terminator: "")
                return
            }
            let devices = try ServedDevices.resolve(spec, profilesDirectory: profiles ?? ServedDevices.profilesDirectory(for: spec.file))
            let list = PointList(devices, spec: spec)
            print(format == "csv" ? list.csv : format == "json" ? list.json : list.markdown, terminator: "")
        } catch let e as ScenarioError {
            throw ValidationError("\(e)")
        }
    }
}

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Runs the plant against the wall clock and serves every device over Modbus TCP.")
    @Argument(help: "Scenario file.") var scenario: String = "Scenarios/wangenbourg-trace1.yaml"
    @Option(help: "Address and port to listen on.") var listen: String = "127.0.0.1:1502"
    @Option(help: "Simulated seconds per wall second (1 = real time, 3600 = an hour a second, 0 = paused: served, clock stopped).") var speed: Double = 1
    @Option(help: "Most Modbus connections at once (beyond, a newcomer replaces a connection that never sent a request in 0.5 s or one silent for 2 s, else it is refused).") var maxConnections: Int = 64
    @Option(help: "Folder of the device profiles (default: DeviceProfiles/ beside the scenario's folder, else in it, else here).") var profiles: String?
    @Option(help: "Days of weather to prepare (the run wraps around after them).") var days: Int = 366
    @Option(help: "Serve the network as built in this year of its connection steps (1: the first): later buildings, their units and the pipes only they need are absent.") var planYear: Int?
    @OptionGroup var record: RecordOptions
    @Option(help: "Retentive memory: saved here while serving, restored from here at start.") var state: String = "./chaufferie.state.json"
    @Option(help: "Save the retentive memory every this many wall seconds.") var snapshotEvery: Double = 10
    @Flag(help: "Start afresh: do not restore the saved retentive memory.") var fresh = false
    @Option(help: "The instructor's control API (HTTP on loopback), used by chaufferie fault|alarms|speed|deliver; 'off' for none.") var api: String = "127.0.0.1:1503"
    @Option(help: "The web console (synoptic, trends, alarms, instructor's panel, point browser, /metrics) on IPV4:PORT; 'off' for none.") var web: String = "127.0.0.1:8080"
    @Option(help: "Instructions from the web console need this token (the page asks for it); without it the console is read-only for those who lack it.") var webToken: String?
    @Option(help: "Score this exercise as the student operates (its scenario replaces the argument); the score is printed at the stop.") var exercise: String?
    @Flag(help: "Refuse every Modbus write (exception 01, logged with the client's address); reads are served.") var readOnly = false
    @Option(help: "Only these clients may write over Modbus: IPv4 addresses or networks, comma-separated (e.g. 127.0.0.1,10.0.0.0/8); others get exception 01 on writes.") var writeAllow: String?

    func validate() throws {
        guard snapshotEvery >= 0.1, snapshotEvery <= 3600 else { throw ValidationError("Please give --snapshot-every between 0.1 and 3600 s.") }
        guard speed >= 0, speed <= 100_000 else { throw ValidationError("Please give a --speed between 0 (paused) and 100000.") }
        guard (1...1000).contains(maxConnections) else { throw ValidationError("Please give --max-connections between 1 and 1000.") }
        guard parsedListen != nil else { throw ValidationError("Please give --listen as IPV4:PORT, for example 127.0.0.1:1502.") }
        guard !(readOnly && writeAllow != nil) else { throw ValidationError("--read-only and --write-allow exclude each other.") }
        if let w = writeAllow { do { _ = try WritePolicy(allowList: w) } catch { throw ValidationError("\(error)") } }
    }

    var parsedListen: (String, UInt16)? {
        let parts = listen.split(separator: ":")
        guard parts.count == 2, let p = UInt16(parts[1]) else { return nil }
        return (String(parts[0]), p)
    }

    func run() throws {
        do {
            let ex = try exercise.map { p in try Training.Exercise.load(path: p) }
            let spec = try (ex?.scenario ?? ScenarioLoader.load(path: scenario)).asBuilt(inPlanYear: planYear)
            let devices = try ServedDevices.resolve(spec, profilesDirectory: profiles ?? ServedDevices.profilesDirectory(for: spec.file))
            var sim = Simulation(try PlantBuilder.build(spec, days: days))
            var retainedText: String?
            if !fresh && FileManager.default.fileExists(atPath: state) {
                do { retainedText = String(decoding: try sim.restore(fromFile: state), as: UTF8.self) } catch { throw ValidationError("\(error)") }
                FileHandle.standardError.write(Data("chaufferie: restored the retentive memory from \(state) at simulated time \(Int(sim.timeS)) s\n".utf8))
            }
            // the meters' own non-volatile memory: newer than the snapshot, never behind what a client read
            let meterStore = MeterStore.path(besideState: state)
            if !fresh && FileManager.default.fileExists(atPath: meterStore) {
                do { try MeterStore.restore(&sim, from: meterStore) } catch { throw ValidationError("\(error)") }
            } else if fresh {
                try? FileManager.default.removeItem(atPath: meterStore)   // a new plant's meters start from its scenario
            }
            let daemon = try Daemon(simulation: sim, devices: devices, speed: speed, maxConnections: maxConnections)
            daemon.statePath = state
            daemon.meterStorePath = meterStore
            if readOnly { daemon.setWritePolicy(.nobody) } else if let w = writeAllow { daemon.setWritePolicy(try WritePolicy(allowList: w)) }
            daemon.snapshotEveryS = snapshotEvery
            if let e = ex {
                daemon.score = ExerciseScore(e)
                FileHandle.standardError.write(Data("chaufferie: exercise '\(e.title)': \(e.briefing)\n".utf8))
            }
            if api != "off" {
                let parts = api.split(separator: ":")
                guard parts.count == 2, let p = UInt16(parts[1]), String(parts[0]).hasPrefix("127.") else {
                    throw ValidationError("--api: give a loopback IPV4:PORT such as 127.0.0.1:1503, or off")
                }
                let control = ControlAPI()
                do {
                    try control.start(host: String(parts[0]), port: p)
                    daemon.api = control
                    FileHandle.standardError.write(Data("chaufferie: control API on \(parts[0]):\(control.port)\n".utf8))
                } catch {
                    // the plant still runs and serves Modbus: only the instructor's interface is missing
                    FileHandle.standardError.write(Data("chaufferie: no control API: \(error)\n".utf8))
                }
            }
            signal(SIGXFSZ, SIG_IGN)   // a file-size limit makes the historian's writes fail, not the daemon die
            daemon.recording = try record.open(sim, command: "serve --speed \(speed)",
                                               start: .init(scenario: spec.fingerprint, seed: spec.seed, days: days, retained: retainedText, statisticsReset: false))
            // said after the "serving" line, which scripts and users look for first
            let webLine = try WebConsoleOption.start(web, token: webToken, devices: devices, daemon: daemon)
            let (host, port) = parsedListen!
            if !host.hasPrefix("127.") && !readOnly && writeAllow == nil {
                FileHandle.standardError.write(Data("chaufferie: warning: Modbus on \(host) takes writes from any client that reaches it; limit them with --write-allow or --read-only\n".utf8))
            }
            try daemon.listen(host: host, port: port)
            FileHandle.standardError.write(Data("chaufferie: serving \(devices.count) units of '\(spec.name)' on \(host):\(daemon.servers.map { "\($0.port)" }.joined(separator: ", ")) at speed \(speed)\n".utf8))
            FileHandle.standardError.write(Data(webLine.utf8))
            signal(SIGPIPE, SIG_IGN)
            // the daemon's services (historian writer, snapshotter, simulation loop, control API,
            // Modbus server) in one group; SIGTERM or SIGINT stops them in reverse order
            let group = daemon.serviceGroup(clock: ContinuousClock(), signals: [.sigterm, .sigint], logger: Logger(label: "chaufferie.services"))
            let done = DispatchSemaphore(value: 0)
            final class Outcome: @unchecked Sendable { var error: Error? }
            let outcome = Outcome()
            Task { do { try await group.run() } catch { outcome.error = error }; done.signal() }
            done.wait()
            if let e = outcome.error { FileHandle.standardError.write(Data("chaufferie: \(e)\n".utf8)) }
            // what a correct supervision should have shown, and the exercise's score
            let table = AlarmExpectations(daemon.simulation, fromS: 0).text
            if !table.isEmpty { FileHandle.standardError.write(Data(table.utf8)) }
            if let s = daemon.score { FileHandle.standardError.write(Data(s.text.utf8)) }
            record.report(daemon.recording, daemon.recordingStatistics)
            FileHandle.standardError.write(Data("chaufferie: stopped at simulated time \(Int(daemon.simulation.timeS)) s\n".utf8))
        } catch let e as ScenarioError {
            throw ValidationError("\(e)")
        }
    }
}

struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Runs a recorded session again from its start and its clients' and instructor's inputs, and compares the final state.",
        discussion: "The session's start (scenario, seed, restored retentive memory) and every accepted Modbus write and instructor command are kept in the historian with the step they were carried out before; the final state's fingerprint covers every number of the simulation, bit for bit. Exit status 0: identical; 1: different; 3: the session did not end cleanly (nothing to compare).")
    @Argument(help: "Historian file.") var db: String
    @Option(help: "Session id (default: the last one).") var session: Int64?
    @Option(help: "Scenario file (default: the one the session recorded; it must be the same scenario).") var scenario: String?

    func run() throws {
        let o: PlantRecording.Replay.Outcome
        do { o = try PlantRecording.Replay.run(db: db, session: session, scenarioPath: scenario) } catch { throw ValidationError("\(error)") }
        print("replayed session \(o.session) of \(db): \(o.inputs) input\(o.inputs == 1 ? "" : "s"), \(o.steps) steps, to simulated time \(Int(o.endTimeS)) s")
        guard let rec = o.recorded else {
            print("the session did not end cleanly (killed?): no final state was recorded to compare; replayed state \(o.replayed)")
            throw ExitCode(3)
        }
        print("final state: recorded \(rec), replayed \(o.replayed): \(o.identical ? "identical" : "DIFFERENT")")
        if !o.identical { throw ExitCode(1) }
    }
}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Exports recorded tags from a historian file as a wide CSV (one column per tag, unit in the header).",
        discussion: "Each row holds the value in force at its time: the last recorded sample (analog tags are recorded when they move beyond their deadband, counters every hour).")
    @Argument(help: "Historian file.") var db: String
    @Option(help: "Tags to export: shell patterns, comma-separated (e.g. 'substation.*.meter.energy').") var tags: String
    @Option(help: "From this simulated time, YYYY-MM-DD or YYYY-MM-DDTHH:MM (default: the session's start).") var from: String?
    @Option(help: "Up to this simulated time, inclusive (default: the session's last recorded time).") var to: String?
    @Option(help: "Row interval, simulated seconds (default: the session's recording period).") var step: Int?
    @Option(help: "Session id (default: the last one; `chaufferie report --sessions` lists them).") var session: Int64?
    @Option(help: "csv (the only format).") var format: String = "csv"
    @Option(help: "Write here instead of standard output.") var output: String?

    func run() throws {
        guard format == "csv" else { throw ValidationError("Please give --format csv.") }
        let h: HistorianReader
        let s: HistorianReader.Session
        do { h = try HistorianReader(path: db); s = try h.session(session) } catch { throw ValidationError("\(error)") }
        let globs = tags.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let matched = try h.tags(matching: globs)
        guard !matched.isEmpty else { throw ValidationError("--tags '\(tags)': no recorded tag matches (try 'plant.*')") }
        func time(_ arg: String?, _ name: String, _ fallback: Int64) throws -> Int64 {
            guard let a = arg else { return fallback }
            guard let t = CivilTime.seconds(startDate: s.startDate, iso: a) else {
                throw ValidationError("--\(name) '\(a)': give YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS] (the session starts \(s.startDate))")
            }
            return t
        }
        let first = try h.firstRecordedTime(session: s.id) ?? 0
        let t0 = try time(from, "from", first), t1 = try time(to, "to", s.lastT)
        guard t1 >= t0 else { throw ValidationError("--to is before --from") }
        let stepS = Int64(step ?? Int(s.periodS))
        guard stepS > 0 else { throw ValidationError("Please give a --step above 0.") }
        guard (t1 - t0) / stepS < 10_000_000 else { throw ValidationError("That is more than 10 million rows: give a larger --step.") }
        var out: FileHandle = .standardOutput
        if let o = output {
            guard FileManager.default.createFile(atPath: o, contents: nil), let f = FileHandle(forWritingAtPath: o) else { throw ValidationError("--output: cannot write \(o)") }
            out = f
        }
        var buffer = ""
        try h.exportCSV(session: s, tags: matched, from: t0, to: t1, stepS: stepS) { line in
            buffer += line
            if buffer.utf8.count > 1 << 16 { out.write(Data(buffer.utf8)); buffer = "" }
        }
        out.write(Data(buffer.utf8))
    }
}

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reports a recorded session: energy balance, logistics, the operator's account and business plan, study vs measured.")
    @Argument(help: "Historian file.") var db: String = "./chaufferie.db"
    @Option(help: "Session id (default: the last one).") var session: Int64?
    @Flag(help: "List the file's sessions and stop.") var sessions = false
    @Flag(help: "Print one JSON object instead of the text.") var json = false
    @Option(help: "Also write a self-contained HTML report with charts to this file.") var html: String?
    @Option(help: "Report only the session's first N days (e.g. 31: the January of a recorded year), carried to a year by degree days.") var days: Int?

    func run() throws {
        if sessions {
            do {
                for s in try HistorianReader(path: db).sessions() {
                    print("\(s.id)\t\(s.scenarioName)\t\(s.command)\tlast t \(s.lastT) s\t\(s.committedSamples) samples\t\(s.lostSamples) lost\t\(s.ended ? "ended" : "not ended (stopped abruptly)")")
                }
            } catch { throw ValidationError("\(error)") }
            return
        }
        let r: OperatingReport
        do { r = try OperatingReport(db: db, sessionID: session, days: days) } catch { throw ValidationError("\(error)") }
        if let path = html {
            guard FileManager.default.createFile(atPath: path, contents: Data(r.html.utf8)) else { throw ValidationError("--html: cannot write \(path)") }
        }
        print(json ? try r.jsonText() : r.text)
    }
}

/// An error of a command that is not the command line's fault (no usage printed).
struct CommandError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

extension ScenarioSpec {
    /// The scenario as built in plan year `year` (nil: at full build), its refusal worded for
    /// the command line's `--plan-year`.
    func asBuilt(inPlanYear year: Int?) throws -> ScenarioSpec {
        guard let y = year else { return self }
        do { return try atPlanYear(y) } catch let e as PlanYearError { throw ValidationError("--plan-year: \(e.message)") }
    }
}
