import PlantModel

/// The wood-chip boiler's controller: its measurements, counters, the cascade's enable, the
/// highest outlet set-point, and its alarm block.
package enum WoodChipBoilerPoints {
    /// The names other code speaks of, declared here once.
    package enum Name {
        package static func recordPrefix(_ id: String) -> String { "boiler.\(id)." }
        package static let state = "state"
        package static let faultCode = "fault_code"
        package static let supply = "supply_temperature", returnTemperature = "return_temperature"
        package static let modulation = "modulation", output = "output"
        package static let runHours = "run_hours"
        package static let starts = "starts"
        package static let heat = "heat"
        package static let fuelEnergy = "fuel_energy"
        package static let ash = "ash"
        package static let reset = "reset"
    }

    package static let type = DeviceType(
        name: "woodChipBoiler",
        description: "Wood-chip boiler controller (one per boiler of the cascade)",
        points: [
            Point(Name.state, .state, "State: 0 off, 1 ignition, 2 running, 3 ember keeping, 4 burn-out, 5 fault", recorded: .state, summaryPrefix: "") {
                Double($0.plant.boilers[$1].state.rawValue) },
            Point(Name.faultCode, .state, "Fault: 0 none, 1 fuel shortage, 2 auger jam, 3 ignition failure, 4 overtemperature, 5 ash box full, 6 flue fan, 7 precipitator",
                  recorded: .state) { Double($0.plant.boilers[$1].fault.rawValue) },
            Point(Name.supply, unit: "°C", .measurement, "Boiler supply (water) temperature", recorded: .analog(), summaryPrefix: "") {
                $0.plant.boilers[$1].waterC },
            Point(Name.returnTemperature, unit: "°C", .measurement, "Return temperature from the buffer (its bottom layer)") { s, _ in s.plant.buffer.bottomC },
            Point("flue_temperature", unit: "°C", .measurement, "Flue gas temperature", recorded: .analog(deadband: 5)) { $0.plant.boilers[$1].flueGasC },
            Point("oxygen", unit: "%", .measurement, "Flue gas O2", recorded: .analog(deadband: 0.5)) { $0.plant.boilers[$1].oxygenPercent },
            Point(Name.modulation, unit: "%", .measurement, "Firing rate", recorded: .analog(), summaryPrefix: "") { $0.plant.boilers[$1].firing * 100 },
            Point(Name.output, unit: "kW", .measurement, "Heat output to the buffer", recorded: .analog(deadband: 10), summaryPrefix: "") {
                $0.plant.boilers[$1].toLoopKW },
            Point(Name.runHours, unit: "h", .counter, "Burner hours (shown in whole hours)", recorded: .counter(resolution: 0.001), shown: .down(1)) {
                $0.plant.boilers[$1].runHours },
            Point(Name.starts, .counter, "Ignitions", recorded: .counter(resolution: 1)) { Double($0.plant.boilers[$1].starts) },
            Point(Name.ash, unit: "kg", .counter, "Ash produced", recorded: .counter(resolution: 0.1)) { $0.plant.boilers[$1].ashKg },
            Point(Name.fuelEnergy, unit: "kWh", .counter, "Fuel burned (LHV), shown in whole kWh", recorded: .counter(resolution: 1), shown: .down(1)) {
                $0.plant.boilers[$1].fuelKWh },
            Point(Name.heat, unit: "kWh", .counter, "Heat passed to the loop", recorded: .counter(resolution: 1)) { $0.plant.boilers[$1].toLoopKWh },
            Point("setpoint", unit: "°C", .measurement, "Outlet setpoint in force", recorded: .analog()) { s, _ in s.controller.boilerSetpointC },
            Point("max_setpoint", unit: "°C", .setting, "Highest outlet setpoint (one for the cascade: a write to any boiler sets it for all)", range: 60...95,
                  recorded: .analog(), read: { s, _ in s.controller.settings.boilerMaxSetpointC },
                  write: { s, _, v in s.controller.settings.boilerMaxSetpointC = v }),
            Point("enable", .setting, "Boiler enabled for the cascade (0 takes it out of the sequence)", range: 0...1, whole: true, recorded: .state,
                  read: { s, i in s.controller.cascade.disabled[i] ? 0 : 1 },
                  write: { s, i, v in s.controller.cascade.disabled[i] = v == 0 }),
            .command(Name.reset, "Fault reset (write 1)",
                     rules: "command: write 1 resets a fault once its cause is gone (the boiler restarts if enabled)") { s, i in
                s.plant.boilers[i].reset(); s.controller.resetBoilerAlarm(i, atS: s.plant.timeS)
            },
            Point("available", .state, "Available to the cascade (enabled and not in fault)", recorded: .state) {
                $0.plant.boilers[$1].isAvailable && !$0.controller.cascade.disabled[$1] ? 1 : 0 },
        ] + AlarmPoints.block(device: { "boiler:\($0)" }, bits: "bit 0 boiler fault, latched"),
        alarmDevice: "boiler",
        alarmTags: { _, d in ["FAULT": d.recordPrefix + Name.faultCode] },
        instances: { spec in
            spec.boilerRoom.boilers.enumerated().map { i, b in
                DeviceInstance(device: b.id, index: i, recordPrefix: Name.recordPrefix(b.id), label: "Wood-chip boiler \(b.id) (\(Int(b.nominalKW)) kW)")
            }
        })
}

/// The alarm block every controller serves: the active and unacknowledged words, and the
/// acknowledge command.
package enum AlarmPoints {
    package static func block(device: @escaping @Sendable (Int) -> String, bits: String, recorded: Bool = false) -> [Point] {
        [
            Point("alarms.word", .state, "Active alarms (\(bits))", recorded: recorded ? .state : .no) {
                Double($0.controller.alarms.words(device: device($1)).active) },
            Point("alarms.unacknowledged", .state, "Alarms awaiting acknowledgement (same bits)") {
                Double($0.controller.alarms.words(device: device($1)).unacknowledged) },
            .command("alarms.ack", "Command, write 1: acknowledge this controller's alarms (reads 0 once done)",
                     rules: "command: write 1 acknowledges every alarm of this unit") { s, i in
                s.controller.alarms.acknowledgeAll(device: device(i), atS: s.plant.timeS)
            },
        ]
    }
}
