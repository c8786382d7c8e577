import SimulationCore
import Foundation

extension RunReport {
    /// The energy balance as a table for the terminal, each figure beside the study's.
    public var text: String {
        func f(_ v: Double, _ d: Int = 1) -> String { String(format: "%.\(d)f", v) }
        func dev(_ v: Double, _ ref: Double?) -> String {
            guard let r = ref, r != 0 else { return "" }
            return String(format: "%+.1f %%", (v / r - 1) * 100)
        }
        var rows: [(String, String, String, String)] = []
        func row(_ name: String, _ v: Double, _ d: Int, _ key: String?) {
            let r = key.flatMap { reference.values[$0] }
            rows.append((name, f(v, d), r.map { f($0, d) } ?? "", dev(v, r)))
        }
        var out = "Chaufferie run: \(scenario) — \(f(durationDays, 1)) days, seed \(seed), weather \(weatherSource)\n\n"
        row("heating degree days (base 18 °C)", heatingDegreeDays, 0, "heatingDegreeDays")
        row("coldest hour, °C", minOutdoorC, 1, "designOutdoorC")
        row("heat delivered (meters), MWh", heatDeliveredMWh, 1, "heatDeliveredMWh")
        row("network losses, MWh", networkLossesMWh, 1, "networkLossesMWh")
        row("network losses, % of heat produced", heatProducedMWh > 0 ? networkLossesMWh / heatProducedMWh * 100 : 0, 1, "networkLossesPercent")
        row("heat produced (sent into the network), MWh", heatProducedMWh, 1, "heatProducedMWh")
        row("boiler output, MWh", boilerOutputMWh, 1, nil)
        row("fuel burned, MWh LHV", fuelBurnedMWhLHV, 1, "fuelBurnedMWhLHV")
        row("fuel burned, m³", fuelBurnedM3, 0, "fuelBurnedM3")
        row("fuel burned, t", fuelBurnedT, 1, nil)
        if gasBurnedMWhLHV > 0 { row("gas burned, MWh LHV", gasBurnedMWhLHV, 1, nil) }
        row("seasonal efficiency (boiler output / fuel LHV), %", seasonalEfficiency * 100, 1, nil)
        row("full-load hours of the cascade, h", fullLoadHours, 0, "fullLoadHours")
        row("peak hourly production, kW", peakHourlyProductionKW, 0, "peakHourlyProductionKW")
        row("peak hourly boiler output, kW", peakHourlyBoilerOutputKW, 0, nil)
        row("deliveries, trucks", Double(trucks), 0, "trucksPerYear")
        row("ash, kg", ashKg, 0, "ashKg")
        row("auxiliary electricity, MWh", electricityMWh, 2, nil)
        let w = [rows.map(\.0.count).max() ?? 0, 12, 12, 10]
        func pad(_ s: String, _ n: Int, left: Bool = false) -> String {
            let c = s.count
            return c >= n ? s : (left ? s + String(repeating: " ", count: n - c) : String(repeating: " ", count: n - c) + s)
        }
        out += pad("", w[0], left: true) + "  " + pad("simulated", w[1]) + "  " + pad("study", w[2]) + "  " + pad("deviation", w[3]) + "\n"
        for r in rows { out += pad(r.0, w[0], left: true) + "  " + pad(r.1, w[1]) + "  " + pad(r.2, w[2]) + "  " + pad(r.3, w[3]) + "\n" }

        out += "\nHeat delivered per building (meters), MWh\n"
        for b in buildings {
            out += pad(b.id, 18, left: true) + pad(f(b.heatDeliveredMWh), 10) + pad(f(b.referenceMWh), 10) + pad(dev(b.heatDeliveredMWh, b.referenceMWh), 10) + "\n"
        }
        out += "\nBoilers\n" + pad("", 6, left: true) + pad("run h", 10) + pad("starts", 8) + pad("heat MWh", 10) + pad("full-load h", 13) + "\n"
        for b in boilers {
            out += pad(b.id, 6, left: true) + pad(f(b.runHours, 0), 10) + pad(String(b.starts), 8) + pad(f(b.heatMWh), 10) + pad(f(b.fullLoadHours, 0), 13) + "\n"
        }
        out += "\nMean production by 6-hour slot, kW (study: at design conditions, after diversity)\n"
        out += pad("", 10, left: true) + ["0-6 h", "6-12 h", "12-18 h", "18-24 h"].map { pad($0, 16) }.joined() + "\n"
        for (name, sim, ref) in [("weekday", weekdaySlotsKW, reference.weekdaySlotsKW), ("weekend", weekendSlotsKW, reference.weekendSlotsKW)] {
            out += pad(name, 10, left: true)
            for k in 0..<4 { out += pad(f(sim[k], 0) + (ref.map { " (" + f($0[k], 0) + ")" } ?? ""), 16) }
            out += "\n"
        }
        if studyDesignLoadKW > 0 {
            out += "Finding: the study's annual heat implies buildings that lose \(f(calibratedDesignLossKW, 0)) kW at the design temperature, "
                + "\(f((1 - calibratedDesignLossKW / studyDesignLoadKW) * 100, 0)) % under its design loads (\(f(studyDesignLoadKW, 0)) kW): "
                + "the simulation keeps the annual heat, so its design-day slots fall short of the study's by about as much\n"
        }
        if hasHeatPumps {
            out += "\nHeat pumps: \(f(heatPumpOutputMWh, 1)) MWh to the loop (\(f(boilerOutputMWh > 0 ? heatPumpOutputMWh / boilerOutputMWh * 100 : 0, 1)) % of production), "
                + "\(f(heatPumpSourceMWh, 1)) MWh from the source, \(f(heatPumpElectricityMWh, 1)) MWh of electricity (compressors and source pumps): SPF \(f(heatPumpSPF, 2))\n"
        }
        if solarAreaM2 > 0 {
            out += "\nSolar fields: \(f(solarMWh, 1)) MWh to the buffer (\(f(solarMWh * 1000 / solarAreaM2, 0)) kWh/m² of \(f(solarAreaM2, 0)) m², \(f(boilerOutputMWh > 0 ? solarMWh / boilerOutputMWh * 100 : 0, 1)) % of production), "
                + "of \(f(solarIrradiationMWh, 1)) MWh of irradiation on the aperture (\(f(solarIrradiationMWh > 0 ? solarMWh / solarIrradiationMWh * 100 : 0, 1)) %)\n"
        }
        var inputText = hasHeatPumps ? "combustion \(f(combustionHeatMWh, 2)) + heat pumps' condensers \(f(heatPumpHeatMWh, 2))" : "combustion \(f(combustionHeatMWh, 2))"
        if solarAreaM2 > 0 { inputText += " + solar \(f(solarMWh, 2))" }
        if hasRecovered {
            inputText += " + recovered \(f(recoveredMWh, 2))"
            out += "\nRecovered heat: \(f(recoveredMWh, 1)) MWh into the buffer (\(f(boilerOutputMWh > 0 ? recoveredMWh / boilerOutputMWh * 100 : 0, 1)) % of production)"
                + (recoveredElectricityMWh > 0 ? ", with \(f(recoveredElectricityMWh, 1)) MWh of electricity generated by the CHP" : "") + "\n"
        }
        let input = combustionHeatMWh + heatPumpHeatMWh + solarMWh + recoveredMWh
        out += "\nEnergy balance, MWh: \(inputText) = delivered \(f(heatDeliveredPhysicsMWh, 2)) + network losses \(f(networkLossesMWh, 2)) + buffer losses \(f(bufferLossesMWh, 2)) + boiler shell losses \(f(boilerShellLossesMWh, 2))\(makeUpHeatMWh > 0 ? " + make-up water heating \(f(makeUpHeatMWh, 2))" : "") + stored change \(f(storedHeatChangeMWh, 2)); residual \(String(format: "%.4f", balanceResidualMWh)) (\(String(format: "%.4f", input > 0 ? balanceResidualMWh / input * 100 : 0)) %)\n"
        if !alarms.text.isEmpty { out += "\n" + alarms.text }
        return out
    }
}
