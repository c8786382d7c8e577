import Foundation
import PlantModel
import PlantControl
import YAMLFile

/// A scenario turned into a plant, its control core and its weather, ready to run.
public struct BuiltScenario: Sendable {
    public var spec: ScenarioSpec
    public var plant: Plant
    public var controller: PlantController
    public var weather: WeatherSeries
    public var calendar: SimCalendar
    public var calibrations: [BuildingCalibration]
}

/// Builds the plant and its controllers from a scenario.
public enum PlantBuilder {
    /// The weather of a scenario over `days` days (synthetic with `seed`, or read from a file).
    public static func weather(_ spec: ScenarioSpec, days: Int, seed: UInt64) throws -> WeatherSeries {
        let dir = (spec.file as NSString).deletingLastPathComponent
        func resolve(_ p: String) -> String { p.hasPrefix("/") || dir.isEmpty ? p : "\(dir)/\(p)" }
        func read(_ p: String) throws -> String {
            do { return try TextFile.read(resolve(p), what: "weather file") } catch let e as FileError {
                throw WeatherFileError(file: e.file, line: e.line, field: e.field, message: e.message)
            }
        }
        switch spec.site.weather {
        case let .synthetic(w): return w.generate(start: spec.start, days: days + 1, seed: seed)
        case let .csv(path): return try WeatherImport.csv(text: read(path), file: resolve(path), start: spec.start)
        case let .epw(path): return try WeatherImport.epw(text: read(path), file: resolve(path), start: spec.start, days: days + 1)
        }
    }

    public static func build(_ spec: ScenarioSpec, days: Int, seed: UInt64? = nil) throws -> BuiltScenario {
        let calendar = SimCalendar(start: spec.start)
        let weather = try weather(spec, days: days, seed: seed ?? spec.seed)
        // calibration year: the normals from the 1st of January of the start's year
        let calStart = CivilDate(year: spec.start.year, month: 1, day: 1)
        let normals = spec.site.normals.generate(start: calStart, days: 365, seed: 0)
        let calCalendar = SimCalendar(start: calStart)
        var calibrations: [BuildingCalibration] = []
        // Buildings alike but for their names and places (a generated network's, or a row of
        // identical houses) share one calibration: a pure function of the rest of the spec, so
        // the result is the same, found once (a year of simulation per bisection step).
        var done: [String: BuildingCalibration] = [:]
        for b in spec.buildings {
            var anonymous = b
            anonymous.id = ""; anonymous.name = ""; anonymous.node = ""
            // (a Set's order is its instance's: the weekdays go in sorted)
            var key = ""
            for i in anonymous.schedule.periods.indices {
                key += "\(anonymous.schedule.periods[i].weekdays.sorted());"
                anonymous.schedule.periods[i].weekdays = []
            }
            key += String(reflecting: anonymous)
            if let c = done[key] { calibrations.append(c.renamed(b.id)); continue }
            let c = try Calibration.calibrate(b, normals: normals, calendar: calCalendar, designOutdoorC: spec.site.designOutdoorC)
            done[key] = c
            calibrations.append(c)
        }

        let room = spec.boilerRoom
        let law = room.control.supplyLaw
        let initialC = law.setpointC(outdoorC: weather.temperatureC(at: 0))
        // nodes: the plant is 0, each pipe's far end the next
        var nodeIndex: [String: Int] = ["plant": 0]
        for p in spec.network.pipes { nodeIndex[p.to] = nodeIndex.count }

        var substations: [Substation] = []
        var designFlowAtNode = [Double](repeating: 0, count: nodeIndex.count)
        for (i, b) in spec.buildings.enumerated() {
            let design = SubstationDesign(designLoadKW: b.designLoadKW, emitter: b.emitter, secondarySupplyC: b.emitterSupplyC,
                                          secondaryReturnC: b.emitterReturnC, primarySupplyC: law.coldSupplyC,
                                          primaryReturnC: b.emitterReturnC + 5,
                                          designDifferentialPressureKPa: room.control.differentialSetpointKPa)
            let params = Calibration.parameters(b, heatLossKWPerK: calibrations[i].heatLossKWPerK)
            // start where the programme holds the building (a closed hotel is at frost protection)
            let initialRoomC: Double
            switch b.schedule.occupancy(at: calendar.moment(0)) {
            case .comfort: initialRoomC = b.heating.comfortRoomC
            case .reduced: initialRoomC = b.heating.reducedRoomC
            case .closed: initialRoomC = b.heating.frostRoomC
            }
            let building = Building(parameters: params, initialC: initialRoomC)
            var demand: DHWDemand? = nil, tank: DHWTank? = nil
            if let d = b.dhw {
                demand = DHWDemand(litresPerDay: d.litresPerDay, hourlyShare: d.profile)
                tank = DHWTank(volumeM3: d.tankM3, lossKWPerK: Calibration.dhwTankLossKWPerK(d.tankM3),
                               coilUAKWPerK: 1.2 * d.tankM3 + 0.3, initialC: 55)
            }
            let s = Substation(id: b.id, design: design, building: building, schedule: b.schedule, dhwDemand: demand,
                               dhwTank: tank, meterSerial: UInt32(71_000_000 + i * 137 + 11),
                               thermostatCloseC: b.heating.comfortRoomC + 0.5)
            designFlowAtNode[nodeIndex[b.node]!] += Water.flowM3PerH(massFlowKgPerS: s.exchanger.nominalPrimaryKgPerS)
            substations.append(s)
        }
        // design flow of each pipe: the design flows of everything downstream
        var pipeFlow = [Double](repeating: 0, count: spec.network.pipes.count)
        for (k, p) in spec.network.pipes.enumerated().reversed() {
            let child = nodeIndex[p.to]!
            var q = designFlowAtNode[child]
            for (j, p2) in spec.network.pipes.enumerated() where nodeIndex[p2.from] == child { q += pipeFlow[j] }
            pipeFlow[k] = max(q, 0.05)
        }
        var segments: [NetworkSegment] = []
        for (k, p) in spec.network.pipes.enumerated() {
            func pipe(_ t: Double) -> PlugFlowPipe {
                PlugFlowPipe(lengthM: p.lengthM, innerDiameterM: p.innerDiameterM, lossWPerMK: p.lossWPerMK, groundC: spec.site.groundC,
                             initialC: t, designFlowM3PerH: pipeFlow[k])
            }
            segments.append(NetworkSegment(id: p.id, parent: nodeIndex[p.from]!, child: nodeIndex[p.to]!,
                                           supply: pipe(initialC), returnPipe: pipe(initialC - 20)))
        }
        let network = HeatNetwork(segments: segments, substationNode: spec.buildings.map { nodeIndex[$0.node]! },
                                  nodeCount: nodeIndex.count,
                                  pump: VariableSpeedPump(designFlowM3PerH: spec.network.pumpDesignFlowM3PerH, designHeadKPa: spec.network.pumpDesignHeadKPa),
                                  initialC: initialC, endBypass: spec.network.endBypass)
        let buffer = BufferTank(volumeM3: room.bufferVolumeM3, heightM: room.bufferHeightM, layers: room.bufferLayers,
                                lossKWPerK: room.bufferLossKWPerK, initialC: initialC + 5)
        let boilers = room.boilers.map { b -> WoodChipBoiler in
            var s = WoodChipBoilerSpec(nominalKW: b.nominalKW, waterVolumeM3: b.waterVolumeM3)
            s.ashShare = room.fuel.ash
            return WoodChipBoiler(spec: s, initialC: room.roomC)
        }
        let gas = room.gasBoilers.map { GasBoiler(nominalKW: $0.nominalKW, waterVolumeM3: 0.002 * $0.nominalKW / 10, initialC: room.roomC) }
        let pumps = room.heatPumps.map {
            HeatPump(nominalKW: $0.nominalKW, designCOP: $0.designCOP, designLeavingC: $0.designLeavingC, maxLeavingC: $0.maxLeavingC,
                     source: $0.source, minModulation: $0.minModulation, initialC: room.roomC)
        }
        let silo = Silo(grossVolumeM3: room.siloGrossM3, reserveM3: room.siloReserveM3, fuel: room.fuel, policy: room.policy,
                        initialM3: room.siloInitialM3)
        // the return header and the plant's pipework hold 30 s of the pump's design flow, at least
        // 0.3 m³ (the reference plant's); its mixing is explicit, stable while a step moves less
        // than its volume: a 330 MW network's 3.7 t/s through 0.3 m³ diverged in the first second
        let headerM3 = max(0.3, spec.network.pumpDesignFlowM3PerH / 3600 * 30)
        var plant = Plant(substations: substations, network: network, buffer: buffer, boilers: boilers, gasBoilers: gas,
                          heatPumps: pumps, solarFields: room.solarFields.map {
                              SolarField(kind: $0.kind, areaM2: $0.areaM2, tiltDeg: $0.tiltDeg, latitudeDeg: $0.latitudeDeg, initialC: room.roomC)
                          }, recovered: room.recoveredHeat.map {
                              RecoveredHeat(kind: $0.kind, maxKW: $0.maxKW, supplyC: $0.supplyC, electricPerHeat: $0.electricPerHeat, schedule: $0.schedule)
                          }, silo: silo, boilerRoomC: room.roomC, headerVolumeM3: headerM3, initialC: initialC - 20)
        if let f = room.solarFields.first {
            plant.clearSkyShare = f.clearSkyShare; plant.longitudeDeg = f.longitudeDeg
        }
        let ctrls = spec.buildings.map { b -> SubstationController in
            var settings = b.heating
            if b.emitter == .floor {
                // a floor circuit: safety thermostat 5 K over its flow limit (EN 1264-4), a slow
                // screed that needs longer to heat up
                settings.safetyThermostatC = settings.maxFlowC + 5
                settings.maxEarlyStartH = 10
                settings.quickSetback = false
            }
            var c = SubstationController(settings: settings, schedule: b.schedule, initialOutdoorC: weather.temperatureC(at: 0),
                                         initialHeatUpKPerH: b.emitter == .floor ? 0.5 : 1.5)
            c.dhwPriority = b.dhw?.priority ?? true
            if let h = b.dhw?.disinfectionHour { c.disinfectionHour = h }
            return c
        }
        var controller = PlantController(settings: room.control, substations: ctrls, boilerNominalKW: boilers.map(\.spec.nominalKW), gasBoilers: gas.count,
                                         heatPumpNominalKW: pumps.map(\.nominalKW), heatPumpMaxLeavingC: pumps.map(\.maxLeavingC),
                                         gasNominalKW: gas.map(\.nominalKW))
        controller.configureAlarms(boilerIDs: room.boilers.map(\.id), substationIDs: spec.buildings.map(\.id),
                                   gasBoilerIDs: room.gasBoilers.map(\.id), heatPumpIDs: room.heatPumps.map(\.id),
                                   solarFieldIDs: room.solarFields.map(\.id), recoveredIDs: room.recoveredHeat.map(\.id))
        return BuiltScenario(spec: spec, plant: plant, controller: controller, weather: weather, calendar: calendar, calibrations: calibrations)
    }
}
