import Foundation
import PlantModel

/// What a run measured, accumulated step by step: the figures of the energy balance.
public struct RunStatistics: Sendable {
    public let calendar: SimCalendar
    /// Energy counters and stored heat at the start.
    public let startEnergy: EnergyCounters
    public let startStoredKJ: Double
    /// The solar fields' irradiation counters at the start, kWh.
    public let startSolarIrradiationKWh: Double
    public let startMeterKWh: [Double]
    public let startSiloM3: Double
    public let startTrucks: Int
    public let startBoilerRunHours: [Double]
    public let startBoilerStarts: [Int]
    /// Simulation time the measurement began, s.
    public let startTimeS: Double
    /// Heat each wood boiler passed to the loop, kWh.
    public private(set) var boilerHeatKWh: [Double]
    /// Mean boiler production and network output of each whole clock hour, kW.
    public private(set) var hourlyProductionKW: [Double] = []
    public private(set) var hourlyNetworkOutputKW: [Double] = []
    /// Hourly mean outdoor temperature, °C.
    public private(set) var hourlyOutdoorC: [Double] = []
    /// Fuel burned (LHV) in each whole clock hour, kWh.
    public private(set) var hourlyFuelKWh: [Double] = []
    private var hourAccFuel = 0.0
    private var lastFuelKWh: Double
    private var hourAccProduction = 0.0, hourAccNetwork = 0.0, hourAccOutdoor = 0.0, hourAccS = 0.0
    private var lastProducedKWh: Double
    private var lastNetworkKWh: Double
    /// Whether each recorded hour fell on a Saturday or Sunday.
    public private(set) var hourIsWeekend: [Bool] = []
    private var hourStartS = 0.0

    public init(plant: Plant, calendar: SimCalendar) {
        self.calendar = calendar
        startEnergy = plant.energy
        startStoredKJ = plant.storedKJ
        startSolarIrradiationKWh = plant.solarFields.reduce(0) { $0 + $1.irradiationKWh }
        startMeterKWh = plant.substations.map(\.meter.energyKWh)
        startSiloM3 = plant.silo.levelM3
        startTrucks = plant.silo.trucksDelivered
        startBoilerRunHours = plant.boilers.map(\.runHours)
        startBoilerStarts = plant.boilers.map(\.starts)
        boilerHeatKWh = [Double](repeating: 0, count: plant.boilers.count)
        lastProducedKWh = plant.energy.producedKWh
        lastNetworkKWh = plant.energy.networkOutputKWh
        lastFuelKWh = plant.energy.woodFuelKWh + plant.energy.gasFuelKWh
        hourStartS = plant.timeS
        startTimeS = plant.timeS
    }

    mutating func record(plant: Plant, outdoorC: Double, dtS: Double) {
        for i in plant.boilers.indices { boilerHeatKWh[i] += plant.boilers[i].toLoopKW * dtS / 3600 }
        hourAccProduction += plant.energy.producedKWh - lastProducedKWh
        hourAccNetwork += plant.energy.networkOutputKWh - lastNetworkKWh
        lastProducedKWh = plant.energy.producedKWh
        lastNetworkKWh = plant.energy.networkOutputKWh
        let fuel = plant.energy.woodFuelKWh + plant.energy.gasFuelKWh
        hourAccFuel += fuel - lastFuelKWh
        lastFuelKWh = fuel
        hourAccOutdoor += outdoorC * dtS
        hourAccS += dtS
        if hourAccS >= 3600 - 1e-6 {
            hourlyProductionKW.append(hourAccProduction * 3600 / hourAccS)
            hourlyNetworkOutputKW.append(hourAccNetwork * 3600 / hourAccS)
            hourlyOutdoorC.append(hourAccOutdoor / hourAccS)
            hourlyFuelKWh.append(hourAccFuel)
            hourIsWeekend.append(calendar.moment(hourStartS).isWeekend)
            hourStartS = plant.timeS
            hourAccProduction = 0; hourAccNetwork = 0; hourAccFuel = 0; hourAccOutdoor = 0; hourAccS = 0
        }
    }

    /// Fuel burned over the last 24 whole hours, kWh (fewer hours at the start of a run).
    public var lastDayFuelKWh: Double { hourlyFuelKWh.suffix(24).reduce(0, +) * 24 / Double(max(1, min(24, hourlyFuelKWh.count))) }

    /// The hourly means as CSV: hour start (ISO), outdoor °C, heat sent into the network kW,
    /// boiler output kW.
    public var hourlyCSV: String {
        var out = "hour,outdoor_C,network_output_kW,boiler_output_kW\n"
        for h in hourlyOutdoorC.indices {
            let m = calendar.moment(startTimeS + Double(h) * 3600)
            let hh = Int(m.hourOfDay.rounded(.down))
            out += "\(m.date)T\(hh < 10 ? "0" : "")\(hh):00,\(String(format: "%.2f", hourlyOutdoorC[h])),\(String(format: "%.1f", hourlyNetworkOutputKW[h])),\(String(format: "%.1f", hourlyProductionKW[h]))\n"
        }
        return out
    }
}
