import PlantModel

/// The substation's heat meter (EN 1434): indexes, instantaneous values, error hours and code.
package enum HeatMeterPoints {
    /// The indexes the meter keeps in non-volatile memory (`MeterStore`).
    package static func recordPrefix(_ building: String) -> String { SubstationPoints.Name.recordPrefix(building) + "meter." }
    package static let energy = "energy", volume = "volume", operatingHours = "operating_hours", errorHours = "error_hours"
    package static let supplyTemperature = "supply_temperature"
    package static let power = "power"

    package static let type = DeviceType(
        name: "heatMeter",
        description: "Heat meter of a substation (EN 1434 calculator)",
        points: [
            Point(energy, unit: "kWh", .counter, "Energy index", recorded: .counter(resolution: 1, hourly: true), summaryPrefix: "meter_") {
                $0.plant.substations[$1].meter.energyKWhDisplayed },
            Point(volume, unit: "m³", .counter, "Volume index", recorded: .counter(resolution: 0.01)) { $0.plant.substations[$1].meter.volumeM3Displayed },
            Point(power, unit: "kW", .measurement, "Power (the calculator's 0.1 kW)", recorded: .analog(deadband: 3), shown: .nearest(0.1),
                  summaryPrefix: "meter_") { $0.plant.substations[$1].meter.powerKW },
            Point("flow", unit: "m³/h", .measurement, "Flow (the calculator's 0.001 m³/h)", recorded: .analog(deadband: 0.2), shown: .nearest(0.001)) {
                $0.plant.substations[$1].meter.flowM3PerH },
            // a heat meter's own temperatures recorded at 2 K (1.3 % of its 0–150 °C span; the
            // controller's are recorded finer): a substation's return hunts on DHW charging
            Point(supplyTemperature, unit: "°C", .measurement, "Supply temperature", recorded: .analog(deadband: 2)) {
                $0.plant.substations[$1].meter.supplyC },
            Point("return_temperature", unit: "°C", .measurement, "Return temperature", recorded: .analog(deadband: 2)) {
                $0.plant.substations[$1].meter.returnC },
            Point("temperature_difference", unit: "K", .measurement, "Temperature difference") {
                $0.plant.substations[$1].meter.supplyC - $0.plant.substations[$1].meter.returnC },
            Point(operatingHours, unit: "h", .counter, "Operating hours", recorded: .counter(resolution: 1), shown: .down(1)) {
                $0.plant.substations[$1].meter.operatingHours },
            Point(errorHours, unit: "h", .counter, "Error hours (time counted with the meter in error, indexes frozen)",
                  recorded: .counter(resolution: 1), shown: .down(1)) { $0.plant.substations[$1].meter.errorHours },
            Point("info_code", .state, "Information (error) code, 0 = none", recorded: .state) { Double($0.plant.substations[$1].meter.infoCode) },
            Point("serial", .state, "Serial number") { Double($0.plant.substations[$1].meter.serial) },
        ],
        instances: { spec in
            spec.buildings.enumerated().map { i, b in
                DeviceInstance(device: "\(b.id).meter", index: i, recordPrefix: recordPrefix(b.id), label: "Heat meter of \(b.name) (\(b.id))")
            }
        })
}
