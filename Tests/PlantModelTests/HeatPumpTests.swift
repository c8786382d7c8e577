import XCTest
@testable import PlantModel

/// The heat pump against closed forms: the Carnot COP, the design point the Carnot fraction is
/// taken from, the evaporator's balance with the source (the doublet's ṁ·cp·ΔT), the condenser's
/// balance (heat = source heat + compressor power), the well pumps' ṁ·g·H/η, and the
/// protections (source cooling limit, low-pressure unloading, lockout on a lost source flow).
final class HeatPumpTests: XCTestCase {
    /// Two doublets of 100 m³/h at 13.5 °C, 6.5 K of reinjection ΔT, 100 m of head.
    let aquifer = HeatSource(kind: .aquifer, designKgPerS: 2 * Water.massFlowKgPerS(flowM3PerH: 100), maxCoolingK: 6.5, meanC: 13.5, pumpHeadM: 100)

    func pump(nominalKW: Double = 2000) -> HeatPump {
        HeatPump(nominalKW: nominalKW, designCOP: 3.5, designLeavingC: 70, maxLeavingC: 75, source: aquifer, initialC: 40)
    }

    func testCarnotCOPAndTheDesignPoint() {
        // 70 °C condensing over 0 °C evaporating: 343.15 / 70
        XCTAssertEqual(HeatPump.carnotCOP(condensingC: 70, evaporatingC: 0), 343.15 / 70, accuracy: 1e-12)
        let hp = pump()
        // the design point: the source gives nominal × (1 − 1/COP), cooled by that over ṁ·cp
        let qe = 2000 * (1 - 1 / 3.5)
        XCTAssertEqual(hp.designSourceKW, qe, accuracy: 1e-9)
        let cooling = qe / (aquifer.designKgPerS * Water.cpKJPerKgK)
        XCTAssertEqual(hp.designCoolingK, cooling, accuracy: 1e-12)
        let te = 13.5 - cooling - HeatPump.approachK, tc = 70 + HeatPump.approachK
        XCTAssertEqual(hp.carnotFraction, 3.5 / ((tc + 273.15) / (tc - te)), accuracy: 1e-12)
        // well pumps: ṁ g H / η
        XCTAssertEqual(aquifer.pumpKW, aquifer.designKgPerS * 9.81 * 100 / 0.6 / 1000, accuracy: 1e-12)
        XCTAssertEqual(aquifer.pumpKW, 89.4, accuracy: 0.1)
    }

    /// Runs `hp` with the loop returning at `returnC` and the outlet held at 70 °C until the
    /// condenser water settles; the state at the end.
    func settle(_ hp: inout HeatPump, returnC: Double, modulation: Double = 1, seconds: Int = 3600) {
        for _ in 0..<seconds {
            hp.step(dtS: 1, demand: true, modulation: modulation, leavingSetpointC: 70, loopReturnC: returnC, dayOfYear: 15)
        }
    }

    func testBalancesOfTheEvaporatorAndCondenser() {
        var hp = pump(nominalKW: 1500)
        settle(&hp, returnC: 45)
        XCTAssertTrue(hp.running)
        // the outlet at the setpoint (the condenser pump's valve), the heat at nominal
        XCTAssertEqual(hp.waterC, 70, accuracy: 0.5)
        XCTAssertEqual(hp.heatKW, 1500, accuracy: 1e-9)
        // condenser: heat = source heat + compressor power, and COP = heat / compressor
        XCTAssertEqual(hp.heatKW, hp.sourceKW + hp.compressorKW, accuracy: 1e-9)
        XCTAssertEqual(hp.cop, hp.heatKW / hp.compressorKW, accuracy: 1e-9)
        // evaporator: the source's ṁ·cp·(in − out) is the source heat (the doublet's balance)
        XCTAssertEqual(hp.sourceKgPerS * Water.cpKJPerKgK * (hp.sourceInC - hp.sourceOutC), hp.sourceKW, accuracy: 1e-6)
        XCTAssertEqual(hp.sourceInC, 13.5)
        // the COP is η × Carnot at the refrigerant's temperatures (approach in proportion to load)
        let load = hp.sourceKW / hp.designSourceKW
        XCTAssertEqual(hp.evaporatingC, hp.sourceOutC - HeatPump.approachK * load, accuracy: 1e-3)
        XCTAssertEqual(hp.cop, hp.carnotFraction * HeatPump.carnotCOP(condensingC: hp.condensingC, evaporatingC: hp.evaporatingC), accuracy: 1e-3)
        // counters: the condenser's heat is the source's plus the electricity less the source pumps'
        XCTAssertEqual(hp.heatKWh, hp.sourceKWh + hp.electricityKWh - hp.source.pumpKW * hp.runHours, accuracy: 1e-6)
    }

    func testTheSourceLimitsTheCapacity() {
        // 2,500 kW asks 1,786 kW of the aquifer, beyond its 1,485 kW within 6.5 K: unloaded to it
        var hp = HeatPump(nominalKW: 2500, designCOP: 3.5, designLeavingC: 70, maxLeavingC: 75, source: aquifer, initialC: 40)
        settle(&hp, returnC: 45)
        XCTAssertTrue(hp.sourceLimited)
        XCTAssertEqual(hp.sourceInC - hp.sourceOutC, 6.5, accuracy: 1e-6, "reinjected 6.5 K colder, not more")
        XCTAssertLessThan(hp.heatKW, 2500)
        // a fouled evaporator: the evaporating temperature held at the low-pressure limit, less heat, a lower COP
        var sound = pump(); settle(&sound, returnC: 45)
        var fouled = pump(); fouled.setFault(.fouledExchanger, true); settle(&fouled, returnC: 45)
        XCTAssertFalse(sound.sourceLimited)
        XCTAssertTrue(fouled.sourceLimited)
        XCTAssertEqual(fouled.evaporatingC, HeatPump.minEvaporatingC, accuracy: 1e-6)
        XCTAssertLessThan(fouled.heatKW, 0.95 * sound.heatKW)
        XCTAssertLessThan(fouled.cop, sound.cop)
        // half the source flow: the reinjection limit binds at half the source heat
        var low = pump(); low.setFault(.lowSourceFlow, true); settle(&low, returnC: 45)
        XCTAssertEqual(low.sourceKW, 0.5 * aquifer.designKgPerS * Water.cpKJPerKgK * 6.5, accuracy: 1e-6)
    }

    func testLostSourceFlowLocksOutAndTimersHold() {
        var hp = pump()
        settle(&hp, returnC: 45, seconds: 60)
        XCTAssertTrue(hp.running); XCTAssertEqual(hp.starts, 1)
        // not asked any more: it keeps running to its minimum run time (20 min), then stops
        for _ in 0..<600 { hp.step(dtS: 1, demand: false, modulation: 0, leavingSetpointC: 70, loopReturnC: 45, dayOfYear: 15) }
        XCTAssertTrue(hp.running, "still within its minimum run time")
        for _ in 0..<600 { hp.step(dtS: 1, demand: false, modulation: 0, leavingSetpointC: 70, loopReturnC: 45, dayOfYear: 15) }
        XCTAssertFalse(hp.running)
        // asked again at once: it waits its minimum off time (10 min)
        settle(&hp, returnC: 45, seconds: 300)
        XCTAssertFalse(hp.running)
        settle(&hp, returnC: 45, seconds: 400)
        XCTAssertTrue(hp.running); XCTAssertEqual(hp.starts, 2)
        // the well pump trips: locked out, latched
        hp.setFault(.wellPumpTrip, true)
        settle(&hp, returnC: 45, seconds: 10)
        XCTAssertFalse(hp.available); XCTAssertFalse(hp.running); XCTAssertEqual(hp.heatKW, 0)
        hp.setFault(.wellPumpTrip, false)
        settle(&hp, returnC: 45, seconds: 1200)
        XCTAssertFalse(hp.running, "a lockout waits for the operator's reset")
        hp.available = true
        settle(&hp, returnC: 45, seconds: 700)
        XCTAssertTrue(hp.running)
    }

    func testAWastewaterSourceFollowsTheSeasons() {
        let sewer = HeatSource(kind: .wastewater, designKgPerS: 20, maxCoolingK: 4, meanC: 15, amplitudeK: 4, warmestDay: 213, pumpHeadM: 15)
        XCTAssertEqual(sewer.temperatureC(dayOfYear: 213), 19, accuracy: 1e-12)
        XCTAssertEqual(sewer.temperatureC(dayOfYear: 213 - 365 / 2), 11, accuracy: 0.01)
        // a warmer source: a higher COP for the same output
        var hp = HeatPump(nominalKW: 300, designCOP: 3.5, designLeavingC: 65, maxLeavingC: 70, source: sewer, initialC: 40)
        var winter = hp, summer = hp
        for _ in 0..<1800 {
            winter.step(dtS: 1, demand: true, modulation: 1, leavingSetpointC: 65, loopReturnC: 45, dayOfYear: 30)
            summer.step(dtS: 1, demand: true, modulation: 1, leavingSetpointC: 65, loopReturnC: 45, dayOfYear: 213)
        }
        XCTAssertGreaterThan(summer.cop, winter.cop)
        hp = summer
        XCTAssertEqual(hp.heatKW, hp.sourceKW + hp.compressorKW, accuracy: 1e-9)
    }
}
