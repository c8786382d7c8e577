import PlantModel

/// The solar field's differential-temperature controller: collectors on the buffer's bottom.
package enum SolarFieldPoints {
    /// The names other code speaks of, declared here once.
    package enum Name {
        package static let pump = "pump", collector = "collector_temperature", output = "output", irradiance = "irradiance"
    }

    package static let type = DeviceType(
        name: "solarField",
        description: "Solar thermal field controller (differential temperature, collectors on the buffer's bottom exchanger)",
        points: [
            Point(Name.pump, .state, "Collector loop pump: 0 off, 1 running", recorded: .state) { $0.plant.solarFields[$1].pumpOn ? 1 : 0 },
            Point(Name.collector, unit: "°C", .measurement, "Collector field temperature (outlet sensor)", recorded: .analog()) { $0.plant.solarFields[$1].collectorC },
            Point(Name.irradiance, unit: "W/m²", .measurement, "Irradiance on the collectors' plane", recorded: .analog(deadband: 20)) {
                $0.plant.solarFields[$1].irradianceWPerM2 },
            Point(Name.output, unit: "kW", .measurement, "Heat given to the buffer's bottom", recorded: .analog(deadband: 10)) { $0.plant.solarFields[$1].toLoopKW },
            Point("efficiency", unit: "%", .measurement, "Collector efficiency (EN ISO 9806 on the aperture)") { $0.plant.solarFields[$1].efficiency * 100 },
            Point("stagnation", .state, "Stagnating: the fluid boiled out over 120 °C, the pump locked until the field is under 100 °C", recorded: .state) {
                $0.plant.solarFields[$1].stagnating ? 1 : 0 },
            Point("heat_energy", unit: "kWh", .counter, "Heat given to the buffer since the start", recorded: .counter(resolution: 1), shown: .down(1)) {
                $0.plant.solarFields[$1].toLoopKWh },
            Point("irradiation", unit: "kWh", .counter, "Solar irradiation on the aperture since the start", recorded: .counter(resolution: 1), shown: .down(1)) {
                $0.plant.solarFields[$1].irradiationKWh },
            Point("pump_hours", unit: "h", .counter, "Loop pump hours", recorded: .counter(resolution: 0.001), shown: .down(1)) { $0.plant.solarFields[$1].pumpHours },
            Point("stagnation_hours", unit: "h", .counter, "Hours in stagnation", recorded: .counter(resolution: 0.001), shown: .down(1)) {
                $0.plant.solarFields[$1].stagnationHours },
        ] + AlarmPoints.block(device: { "solarField:\($0)" }, bits: "bit 0 stagnation, 1 loop pump failed", recorded: true),
        alarmDevice: "solarField",
        alarmTags: { _, d in ["STAGNATION": d.recordPrefix + Name.collector, "PUMP": d.recordPrefix + Name.pump] },
        instances: { spec in
            spec.boilerRoom.solarFields.enumerated().map { i, f in
                DeviceInstance(device: f.id, index: i, recordPrefix: "solar_field.\(f.id).",
                               label: "Solar field \(f.id) (\(Int(f.areaM2)) m², \(f.kind.rawValue))")
            }
        })
}
