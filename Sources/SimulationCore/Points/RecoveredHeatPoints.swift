import PlantModel

/// The recovered-heat substation: waste heat of an industrial process or a CHP's, injected into
/// the buffer through an exchanger, first in the merit order.
package enum RecoveredHeatPoints {
    /// The names other code speaks of, declared here once.
    package enum Name {
        package static let running = "source_running", output = "output", heatEnergy = "heat_energy"
        /// The historian prefix of source `id`'s points.
        package static func recordPrefix(_ id: String) -> String { "recovered_heat.\(id)." }
    }

    package static let type = DeviceType(
        name: "recoveredHeat",
        description: "Recovered heat injection (industrial waste heat or a CHP's, through an exchanger into the buffer)",
        points: [
            Point(Name.running, .state, "The source runs (its availability programme, not tripped)", recorded: .state) {
                $0.plant.recovered[$1].running ? 1 : 0 },
            Point(Name.output, unit: "kW", .measurement, "Heat taken into the buffer", recorded: .analog(deadband: 10)) { $0.plant.recovered[$1].toLoopKW },
            Point("electric_power", unit: "kW", .measurement, "A CHP's electricity generated (0 for waste heat)") { $0.plant.recovered[$1].electricKW },
            Point(Name.heatEnergy, unit: "kWh", .counter, "Heat taken since the start (the purchase meter)", recorded: .counter(resolution: 1), shown: .down(1)) {
                $0.plant.recovered[$1].toLoopKWh },
            Point("electric_energy", unit: "kWh", .counter, "A CHP's electricity generated since the start", recorded: .counter(resolution: 1), shown: .down(1)) {
                $0.plant.recovered[$1].electricityKWh },
            Point("available_hours", unit: "h", .counter, "Hours the source ran", recorded: .counter(resolution: 0.001), shown: .down(1)) {
                $0.plant.recovered[$1].availableHours },
            Point("enable", .setting, "Taken by the plant (0: the plant refuses the heat)", range: 0...1, whole: true, recorded: .state,
                  read: { s, i in s.plant.recovered[i].enabled ? 1 : 0 },
                  write: { s, i, v in s.plant.recovered[i].enabled = v == 1 }),
        ] + AlarmPoints.block(device: { "recoveredHeat:\($0)" }, bits: "bit 0 source tripped while due", recorded: true),
        alarmDevice: "recoveredHeat",
        alarmTags: { _, d in ["TRIP": d.recordPrefix + Name.running] },
        instances: { spec in
            spec.boilerRoom.recoveredHeat.enumerated().map { i, r in
                DeviceInstance(device: r.id, index: i, recordPrefix: Name.recordPrefix(r.id),
                               label: "Recovered heat \(r.id) (\(Int(r.maxKW)) kW, \(r.kind.rawValue))")
            }
        })
}
