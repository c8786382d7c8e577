import PlantModel

/// The gas boiler's controller: a modulating top-up and backup boiler staged by the plant
/// controller after the wood-chip cascade.
package enum GasBoilerPoints {
    /// The names other code speaks of, declared here once.
    package enum Name {
        package static let reset = "reset"
        package static let state = "state"
        package static let firing = "firing", water = "water_temperature", output = "output"
    }

    package static let type = DeviceType(
        name: "gasBoiler",
        description: "Gas boiler controller (top-up and backup, staged after the wood-chip cascade)",
        points: [
            Point(Name.state, .state, "State: 0 off, 1 firing", recorded: .state) { $0.plant.gasBoilers[$1].firing > 0 ? 1 : 0 },
            Point(Name.firing, unit: "%", .measurement, "Firing rate (modulation)", recorded: .analog()) { $0.plant.gasBoilers[$1].firing * 100 },
            Point(Name.water, unit: "°C", .measurement, "Boiler water (outlet) temperature", recorded: .analog()) { $0.plant.gasBoilers[$1].waterC },
            Point(Name.output, unit: "kW", .measurement, "Heat passed to the loop", recorded: .analog(deadband: 10)) { $0.plant.gasBoilers[$1].toLoopKW },
            Point("fuel_power", unit: "kW", .measurement, "Gas power burned, LHV") { $0.plant.gasBoilers[$1].fuelKW },
            Point("efficiency", unit: "%", .measurement, "Efficiency on LHV (return-temperature dependent, part condensing)") {
                $0.plant.gasBoilers[$1].efficiency * 100 },
            Point("run_hours", unit: "h", .counter, "Burner hours (shown in whole hours)", recorded: .counter(resolution: 0.001), shown: .down(1)) {
                $0.plant.gasBoilers[$1].runHours },
            Point("starts", .counter, "Burner starts", recorded: .counter(resolution: 1)) { Double($0.plant.gasBoilers[$1].starts) },
            Point("gas_energy_hhv", unit: "kWh", .counter, "Gas burned, HHV (as the gas meter bills it)", recorded: .counter(resolution: 1), shown: .down(1)) {
                $0.plant.gasBoilers[$1].fuelKWhHHV },
            Point("gas_energy_lhv", unit: "kWh", .counter, "Gas burned, LHV", shown: .down(1)) { $0.plant.gasBoilers[$1].fuelKWhLHV },
            Point("demand", .state, "Asked to fire by the plant controller", recorded: .state) { $0.controller.actuators.gasDemand[$1] ? 1 : 0 },
            Point("available", .state, "Available (not locked out)", recorded: .state) { $0.plant.gasBoilers[$1].available ? 1 : 0 },
            Point("enable", .setting, "Boiler enabled for the sequence (0 takes it out: the wood cascade carries on alone)", range: 0...1, whole: true,
                  recorded: .state,
                  read: { s, i in s.controller.cascade.gasDisabled[i] ? 0 : 1 },
                  write: { s, i, v in s.controller.cascade.gasDisabled[i] = v == 0 }),
            .command(Name.reset, "Lockout reset (write 1)",
                     rules: "command: write 1 resets a lockout (the burner may fire again when asked)") { s, i in
                s.plant.gasBoilers[i].available = true; s.controller.resetGasAlarm(i, atS: s.plant.timeS)
            },
        ] + AlarmPoints.block(device: { "gas:\($0)" }, bits: "bit 0 burner lockout, latched", recorded: true),
        alarmDevice: "gas",
        alarmTags: { _, d in ["LOCKOUT": d.recordPrefix + Name.state] },
        instances: { spec in
            spec.boilerRoom.gasBoilers.enumerated().map { i, g in
                DeviceInstance(device: g.id, index: i, recordPrefix: "gas_boiler.\(g.id).", label: "Gas boiler \(g.id) (\(Int(g.nominalKW)) kW)")
            }
        })
}
