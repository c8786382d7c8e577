import PlantModel

/// The heat pump's controller: a water-to-water heat pump on an aquifer doublet or a sewer,
/// first in the plant controller's merit order.
package enum HeatPumpPoints {
    /// The names other code speaks of, declared here once.
    package enum Name {
        package static let reset = "reset"
        package static let state = "state"
        package static let output = "output", cop = "cop", sourceFlow = "source.flow", evaporating = "evaporating_temperature"
    }

    package static let type = DeviceType(
        name: "heatPump",
        description: "Heat pump controller (water to water, aquifer or wastewater source; first in the merit order)",
        points: [
            Point(Name.state, .state, "State: 0 off, 1 running", recorded: .state) { $0.plant.heatPumps[$1].running ? 1 : 0 },
            Point("capacity", unit: "%", .measurement, "Capacity (condenser heat against nominal)", recorded: .analog()) { $0.plant.heatPumps[$1].modulation * 100 },
            Point(Name.output, unit: "kW", .measurement, "Heat passed to the loop", recorded: .analog(deadband: 10)) { $0.plant.heatPumps[$1].toLoopKW },
            Point("condenser_heat", unit: "kW", .measurement, "Condenser heat (source heat plus compressor power)") { $0.plant.heatPumps[$1].heatKW },
            Point("electric_power", unit: "kW", .measurement, "Electric power: compressor and source pumps", recorded: .analog(deadband: 5)) {
                $0.plant.heatPumps[$1].electricKW },
            Point(Name.cop, .measurement, "Coefficient of performance of the last second (condenser heat / compressor power)", recorded: .analog(deadband: 0.05)) {
                let h = $0.plant.heatPumps[$1]; return h.running ? h.cop : 0 },
            Point("water_temperature", unit: "°C", .measurement, "Condenser outlet temperature", recorded: .analog()) { $0.plant.heatPumps[$1].waterC },
            Point(Name.evaporating, unit: "°C", .measurement, "Evaporating temperature (from the suction pressure)", recorded: .analog()) {
                $0.plant.heatPumps[$1].evaporatingC },
            Point("condensing_temperature", unit: "°C", .measurement, "Condensing temperature (from the discharge pressure)") { $0.plant.heatPumps[$1].condensingC },
            Point("source.inlet_temperature", unit: "°C", .measurement, "Source water into the evaporator (production well or sewer)", recorded: .analog()) {
                $0.plant.heatPumps[$1].sourceInC },
            Point("source.outlet_temperature", unit: "°C", .measurement, "Source water out of the evaporator (reinjection or back to the sewer)", recorded: .analog()) {
                $0.plant.heatPumps[$1].sourceOutC },
            Point(Name.sourceFlow, unit: "m³/h", .measurement, "Source water flow", recorded: .analog(deadband: 2)) {
                Water.flowM3PerH(massFlowKgPerS: $0.plant.heatPumps[$1].sourceKgPerS) },
            Point("source.power", unit: "kW", .measurement, "Heat taken from the source") { $0.plant.heatPumps[$1].sourceKW },
            Point("source_limited", .state, "Capacity held back by the source (cooling limit or low-pressure unloading)", recorded: .state) {
                $0.plant.heatPumps[$1].sourceLimited ? 1 : 0 },
            Point("run_hours", unit: "h", .counter, "Compressor hours (shown in whole hours)", recorded: .counter(resolution: 0.001), shown: .down(1)) {
                $0.plant.heatPumps[$1].runHours },
            Point("starts", .counter, "Compressor starts", recorded: .counter(resolution: 1)) { Double($0.plant.heatPumps[$1].starts) },
            Point("heat_energy", unit: "kWh", .counter, "Heat passed to the loop since the start", recorded: .counter(resolution: 1), shown: .down(1)) {
                $0.plant.heatPumps[$1].toLoopKWh },
            Point("electric_energy", unit: "kWh", .counter, "Electricity since the start (compressor and source pumps, as the meter bills it)",
                  recorded: .counter(resolution: 1), shown: .down(1)) { $0.plant.heatPumps[$1].electricityKWh },
            Point("source_energy", unit: "kWh", .counter, "Heat taken from the source since the start", recorded: .counter(resolution: 1), shown: .down(1)) {
                $0.plant.heatPumps[$1].sourceKWh },
            Point("demand", .state, "Asked to run by the plant controller", recorded: .state) { $0.controller.actuators.heatPumpDemand[$1] ? 1 : 0 },
            Point("available", .state, "Available (not locked out)", recorded: .state) { $0.plant.heatPumps[$1].available ? 1 : 0 },
            Point("enable", .setting, "Heat pump enabled for the merit order (0 takes it out: the boilers carry the load)", range: 0...1, whole: true,
                  recorded: .state,
                  read: { s, i in s.controller.cascade.heatPumpDisabled[i] ? 0 : 1 },
                  write: { s, i, v in s.controller.cascade.heatPumpDisabled[i] = v == 0 }),
            .command(Name.reset, "Lockout reset (write 1)",
                     rules: "command: write 1 resets a lockout (the compressor may start again once the source flows)") { s, i in
                s.plant.heatPumps[i].available = true; s.controller.resetHeatPumpAlarm(i, atS: s.plant.timeS)
            },
        ] + AlarmPoints.block(device: { "heatPump:\($0)" }, bits: "bit 0 lockout (source flow lost), latched; 1 source flow low; 2 evaporating temperature low",
                              recorded: true),
        alarmDevice: "heatPump",
        alarmTags: { _, d in
            ["LOCKOUT": d.recordPrefix + Name.state, "SOURCE_FLOW_LOW": d.recordPrefix + Name.sourceFlow,
             "EVAPORATING_LOW": d.recordPrefix + Name.evaporating]
        },
        instances: { spec in
            spec.boilerRoom.heatPumps.enumerated().map { i, h in
                DeviceInstance(device: h.id, index: i, recordPrefix: "heat_pump.\(h.id).",
                               label: "Heat pump \(h.id) (\(Int(h.nominalKW)) kW, \(h.source.kind.rawValue))")
            }
        })
}
