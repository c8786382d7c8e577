import PlantControl
import PlantModel

/// The plant controller (unit 1): the network, buffer, cascade, silo, supply law, the plant's
/// energy counters (recorded, not served by the native profile), its alarm block, and a summary
/// of each boiler and substation (`boiler<k>.…`, `substation<k>.…`, 1-based, mirrors of the
/// points those devices mark with a `summaryPrefix`).
package enum PlantControllerPoints {
    /// The names other code reads the historian by (the report), declared here once.
    package enum Name {
        package static let recordPrefix = "plant."
        package static let outdoor = "outdoor_temperature"
        package static let networkSupply = "network.supply_temperature"
        package static let siloLevel = "silo.level"
        package static let pumpSpeed = "network.pump_speed"
        package static let pressure = "network.pressure"
        package static func bufferLayer(_ k: Int) -> String { "buffer.t\(k)" }
        package static let networkReturn = "network.return_temperature", networkSetpoint = "network.supply_setpoint"
        package static let networkFlow = "network.flow", differentialPressure = "network.differential_pressure"
        package static let networkPower = "network.output", cascadeStage = "cascade.stage"
        package static let bufferTop = "buffer.top_temperature", bufferBottom = "buffer.bottom_temperature"
        package static let siloLevelPercent = "silo.level_percent", siloAutonomy = "silo.autonomy_days"
        package static let siloDelivered = "silo.delivered"
        package static let siloTrucks = "silo.trucks"
        package static let storedHeat = "stored_heat"
        package static let woodFuel = "counter.wood_fuel"
        package static let gasFuel = "counter.gas_fuel"
        package static let gasProduced = "counter.gas_produced"
        package static let combustion = "counter.combustion"
        package static let makeUpHeat = "counter.makeup_heat"
        package static let produced = "counter.produced"
        package static let networkOutput = "counter.network_output"
        package static let delivered = "counter.delivered"
        package static let networkLoss = "counter.network_loss"
        package static let bufferLoss = "counter.buffer_loss"
        package static let shellLoss = "counter.shell_loss"
        package static let electricity = "counter.electricity"
        /// Heat pumps' counters (a plant with heat pumps has them).
        package static let heatPumpProduced = "counter.heat_pump_produced", heatPumpElectricity = "counter.heat_pump_electricity"
        package static let heatPumpSource = "counter.heat_pump_source", heatPumpHeat = "counter.heat_pump_heat"
        /// Solar fields' counter (a plant with solar fields has it).
        package static let solarProduced = "counter.solar_produced"
        /// Recovered heat's counters (a plant with recovered heat has them).
        package static let recoveredProduced = "counter.recovered_produced", recoveredElectricity = "counter.recovered_electricity"
    }

    /// A point of the supply law (the network's heating curve).
    package static func law(_ name: String, _ description: String, range: ClosedRange<Double>, _ key: WritableKeyPath<SupplyLaw, Double> & Sendable) -> Point {
        Point(name, unit: "°C", .setting, description, range: range, rules: "the mild point must be warmer than the cold one, else refused (03)",
              recorded: .analog(),
              read: { s, _ in s.controller.settings.supplyLaw[keyPath: key] },
              write: { s, _, v in s.controller.settings.supplyLaw[keyPath: key] = v })
    }

    /// One of the plant's energy totalisers (recorded; a profile may serve it).
    package static func counter(_ name: String, unit: String = "kWh", _ description: String, resolution: Double = 1, hourly: Bool = false,
                        _ read: @escaping @Sendable (Simulation) -> Double) -> Point {
        Point(name, unit: unit, .counter, description, recorded: .counter(resolution: resolution, hourly: hourly), shown: .down(resolution)) { s, _ in read(s) }
    }

    /// The boilers and substations a plant controller has slots for, at least.
    package static let boilerSlots = 3, substationSlots = 10

    package static let type = DeviceType(
        name: "plantController",
        description: "Plant controller: network, buffer, cascade, silo, supply law, and a summary of every boiler and substation",
        points: [
            Point(Name.outdoor, unit: "°C", .measurement, "Outdoor temperature (the sensor's reading: invalid when it has failed)",
                  recorded: .analog(deadband: 0.5)) { s, _ in s.outdoorReadingC },
            Point(Name.networkSupply, unit: "°C", .measurement, "Network supply temperature", recorded: .analog()) { s, _ in s.plant.networkSupplyC },
            Point(Name.networkReturn, unit: "°C", .measurement, "Network return temperature", recorded: .analog()) { s, _ in s.plant.headerC },
            Point(Name.networkSetpoint, unit: "°C", .measurement, "Network supply setpoint (supply law)", recorded: .analog()) { s, _ in
                s.controller.networkSetpointC },
            Point(Name.networkFlow, unit: "m³/h", .measurement, "Network flow", recorded: .analog(deadband: 0.5)) { s, _ in s.plant.network.totalFlowM3PerH },
            Point(Name.differentialPressure, unit: "kPa", .measurement, "Differential pressure at the index substation", recorded: .analog()) { s, _ in
                s.plant.network.lowestSubstationDifferentialKPa },
            Point(Name.networkPower, unit: "kW", .measurement, "Heat sent into the network", recorded: .analog(deadband: 20)) { s, _ in
                let p = s.plant
                return Water.massFlowKgPerS(flowM3PerH: p.network.totalFlowM3PerH) * Water.cpKJPerKgK * (p.networkSupplyC - p.headerC)
            },
            Point(Name.pumpSpeed, unit: "%", .measurement, "Network pump speed", recorded: .analog()) { s, _ in s.controller.actuators.networkPumpSpeed * 100 },
            Point(Name.pressure, unit: "bar", .measurement, "Network static pressure at the plant (gauge)", recorded: .analog(deadband: 0.05)) { s, _ in
                s.plant.pressurisation.pressureBarG },
            Point("network.makeup_volume", unit: "m³", .counter, "Make-up water meter (a rising count: leaks show here first)",
                  recorded: .counter(resolution: 0.001, hourly: true)) { s, _ in s.plant.pressurisation.makeUpTotalM3 },
            Point("network.differential_setpoint", unit: "kPa", .setting, "Differential pressure setpoint", range: 5...300, recorded: .analog(),
                  read: { s, _ in s.controller.settings.differentialSetpointKPa },
                  write: { s, _, v in s.controller.settings.differentialSetpointKPa = v }),
            Point(Name.bufferTop, unit: "°C", .measurement, "Buffer top temperature", recorded: .analog()) { s, _ in s.plant.buffer.topC },
            Point(Name.bufferBottom, unit: "°C", .measurement, "Buffer bottom temperature", recorded: .analog()) { s, _ in s.plant.buffer.bottomC },
            Point(Name.cascadeStage, .state, "Boilers asked for heat", recorded: .state) { s, _ in Double(s.controller.cascade.demand.reduce(0) { $0 + ($1 ? 1 : 0) }) },
            // the running boiler started first, 1-based; 0 when none runs
            Point("cascade.lead", .state, "Lead boiler number (0 = none)", recorded: .state) { s, _ in s.controller.cascade.lead.map { Double($0 + 1) } ?? 0 },
            Point(Name.siloLevelPercent, unit: "%", .measurement, "Silo level") { s, _ in s.plant.silo.levelPercent },
            Point(Name.siloLevel, unit: "m³", .measurement, "Silo level", recorded: .analog()) { s, _ in s.plant.silo.levelM3 },
            // at the fuel rate of the last 24 h of boiler output (none burned: no figure)
            Point(Name.siloAutonomy, unit: "d", .measurement, "Days of autonomy at the last 24 h's rate (invalid when nothing was burned)",
                  recorded: .analog()) { s, _ in
                let rateM3PerDay = s.statistics.lastDayFuelKWh / s.plant.silo.fuel.kWhPerM3
                return rateM3PerDay > 0 ? s.plant.silo.levelM3 / rateM3PerDay : nil
            },
            Point(Name.siloDelivered, unit: "m³", .counter, "Chips delivered since the start", recorded: .counter(resolution: 0.01)) { s, _ in s.plant.silo.deliveredM3 },
            Point(Name.siloTrucks, .counter, "Trucks delivered since the start", recorded: .counter(resolution: 1)) { s, _ in Double(s.plant.silo.trucksDelivered) },
            law("law.cold_outdoor", "Supply law: cold point outdoor temperature", range: -40...10, \.coldOutdoorC),
            law("law.cold_supply", "Supply law: supply at the cold point", range: 40...110, \.coldSupplyC),
            law("law.mild_outdoor", "Supply law: mild point outdoor temperature", range: -10...30, \.mildOutdoorC),
            law("law.mild_supply", "Supply law: supply at the mild point", range: 40...110, \.mildSupplyC),
            counter(Name.woodFuel, "Wood burned, LHV", hourly: true) { $0.plant.energy.woodFuelKWh },
            counter(Name.gasFuel, "Gas burned, LHV") { $0.plant.energy.gasFuelKWh },
            counter(Name.gasProduced, "Heat the gas boilers passed to the plant's hydraulics", hourly: true) { s in s.plant.gasBoilers.reduce(0) { $0 + $1.toLoopKWh } },
            counter(Name.combustion, "Heat released by combustion") { $0.plant.energy.combustionKWh },
            counter(Name.makeUpHeat, "Heat spent warming make-up water") { $0.plant.energy.makeUpHeatKWh },
            counter(Name.produced, "Heat the boilers passed to the plant's hydraulics", hourly: true) { $0.plant.energy.producedKWh },
            counter(Name.networkOutput, "Heat sent into the network", hourly: true) { $0.plant.energy.networkOutputKWh },
            counter(Name.delivered, "Heat the substations took from the network") { $0.plant.energy.deliveredKWh },
            counter(Name.networkLoss, "Heat lost by the network's pipes") { $0.plant.energy.networkLossKWh },
            counter(Name.bufferLoss, "Heat lost by the buffer tank") { $0.plant.energy.bufferLossKWh },
            counter(Name.shellLoss, "Heat lost by the boilers' shells") { $0.plant.energy.shellLossKWh },
            counter(Name.electricity, "Auxiliaries and network pump") { $0.plant.energy.auxiliaryElectricityKWh + $0.plant.energy.pumpElectricityKWh },
            counter(Name.storedHeat, "Heat stored in water and refractory above 0 °C") { $0.plant.storedKJ / 3600 },
        ] + AlarmPoints.block(device: { _ in "plant" },
                              bits: "bit 0 network supply low, 1 silo low, 2 silo empty, 3 outdoor sensor failed, 4 network pump fault, 5 buffer sensor failed, 6 network pressure low",
                              recorded: true),
        rules: [
            PointRule("law.mild_outdoor > law.cold_outdoor") { s, _ in
                let law = s.controller.settings.supplyLaw
                return law.mildOutdoorC > law.coldOutdoorC ? nil : "the mild point must be warmer than the cold one"
            },
        ],
        shaped: { spec, catalogue in
            var out: [Point] = []
            for k in 1...max(1, spec.boilerRoom.bufferLayers) {
                out.append(Point(Name.bufferLayer(k), unit: "°C", .measurement, "Buffer layer \(k) temperature (1 = top; invalid when its sensor has failed)",
                                 recorded: .analog(deadband: 1)) { s, _ in
                    // the failed sensor: the invalid value
                    k - 1 == s.bufferSensorLayer && s.bufferSensorFailed ? nil : s.plant.buffer.layersC[k - 1]
                })
            }
            /// Unit 1's summary of device `i` of `type`, under `<prefix><i + 1>.`.
            // A controller has slots for at least `boilerSlots` boilers and `substationSlots`
            // substations (the native profile mirrors that many): a plant with fewer leaves the
            // others empty, served as invalid, as a controller shows an unconfigured slot.
            func mirrors(_ type: DeviceType?, prefix: String, count: Int, slots: Int, what: String) {
                guard let type else { return }
                for i in 0..<max(count, slots) {
                    for p in type.points where p.summaryPrefix != nil {
                        let source = p
                        let present = i < count
                        out.append(Point("\(prefix)\(i + 1).\(p.summaryPrefix!)\(p.name)", unit: p.unit, p.nature,
                                         "\(what) \(i + 1): \(p.description)\(present ? "" : " (no such device in this plant: invalid)")",
                                         shown: p.shown) { s, _ in present ? source.read(s, i) : nil })
                    }
                }
            }
            if !spec.boilerRoom.heatPumps.isEmpty {
                out += [
                    counter(Name.heatPumpProduced, "Heat the heat pumps passed to the plant's hydraulics", hourly: true) { $0.plant.energy.heatPumpProducedKWh },
                    counter(Name.heatPumpHeat, "Heat the heat pumps' condensers released (source heat and compressor power)") { $0.plant.energy.heatPumpKWh },
                    counter(Name.heatPumpSource, "Heat the heat pumps took from their sources (aquifer, wastewater)") { $0.plant.energy.heatPumpSourceKWh },
                    counter(Name.heatPumpElectricity, "Electricity of the heat pumps (compressors and source pumps)") { $0.plant.energy.heatPumpElectricityKWh },
                ]
            }
            if !spec.boilerRoom.recoveredHeat.isEmpty {
                out.append(counter(Name.recoveredProduced, "Heat recovered into the buffer (bought)", hourly: true) { $0.plant.energy.recoveredKWh })
                out.append(counter(Name.recoveredElectricity, "Electricity the CHPs generated with it") { $0.plant.energy.recoveredElectricityKWh })
            }
            if !spec.boilerRoom.solarFields.isEmpty {
                out.append(counter(Name.solarProduced, "Heat the solar fields gave the buffer", hourly: true) { $0.plant.energy.solarKWh })
            }
            mirrors(catalogue.type("woodChipBoiler"), prefix: "boiler", count: spec.boilerRoom.boilers.count, slots: boilerSlots, what: "Boiler")
            mirrors(catalogue.type("substationController"), prefix: "substation", count: spec.buildings.count, slots: substationSlots, what: "Substation")
            mirrors(catalogue.type("heatMeter"), prefix: "substation", count: spec.buildings.count, slots: substationSlots, what: "Substation heat meter")
            return out
        },
        alarmDevice: "plant",
        alarmTags: { s, d in
            ["SUPPLY_LOW": Name.networkSupply, "SILO_LOW": Name.siloLevel, "SILO_EMPTY": Name.siloLevel, "OUTDOOR_SENSOR": Name.outdoor,
             "NETWORK_PUMP": Name.pumpSpeed, "BUFFER_SENSOR": Name.bufferLayer(s.bufferSensorLayer + 1), "PRESSURE_LOW": Name.pressure]
                .mapValues { d.recordPrefix + $0 }
        },
        instances: { _ in [DeviceInstance(device: "plant", index: 0, recordPrefix: Name.recordPrefix, label: "Plant controller")] })
}
