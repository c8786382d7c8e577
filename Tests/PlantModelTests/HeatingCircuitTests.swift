import XCTest
@testable import PlantModel

final class HeatingCircuitTests: XCTestCase {
    /// The cells' K is fitted so that the nominal regime (70/50 °C, room 20 °C, nominal flow)
    /// gives the nominal output in steady state; for floor heating (40/30 °C) too.
    func testNominalRegimeGivesNominalOutput() {
        for (kind, ts, tr) in [(EmitterKind.radiators, 70.0, 50.0), (.floor, 40, 30)] {
            var c = HeatingCircuit(kind: kind, nominalKW: 50, nominalSupplyC: ts, nominalReturnC: tr, thermostatCloseC: 100, initialC: 20)
            for _ in 0..<(kind == .floor ? 400_000 : 40_000) {
                _ = c.returnRelation(dtS: 1, pumpOn: true, roomC: 20)   // this step's conductances
                c.advance(dtS: 1, supplyC: ts, emitterKgPerS: c.nominalKgPerS, totalKgPerS: c.nominalKgPerS, roomC: 20)
            }
            XCTAssertEqual(c.toRoomKW, 50, accuracy: 0.5, "\(kind)")
            XCTAssertEqual(c.returnC, tr, accuracy: 0.2, "\(kind)")
        }
    }

    /// Thermostats throttle with the room (2 K band) but the bypass keeps 15 % circulating; the
    /// circuit's stored heat changes by exactly what the exchanger gave less what the room took.
    func testThermostatsThrottleAndEnergyIsConserved() {
        var c = HeatingCircuit(kind: .radiators, nominalKW: 30, nominalSupplyC: 70, nominalReturnC: 50, thermostatCloseC: 21, initialC: 45)
        XCTAssertEqual(c.opening(roomC: 19), 1)
        XCTAssertEqual(c.opening(roomC: 20), 0.5, accuracy: 1e-12)
        XCTAssertEqual(c.opening(roomC: 22), 0)
        let rel = c.returnRelation(dtS: 1, pumpOn: true, roomC: 22)
        XCTAssertEqual(rel.emitterKgPerS, 0)
        XCTAssertEqual(rel.totalKgPerS, 0.15 * c.nominalKgPerS, accuracy: 1e-12)
        let e0 = c.storedKJ
        var fromExchanger = 0.0, toRoom = 0.0
        for k in 0..<7200 {
            let room = 19 + Double(k % 600) / 200     // 19–22 °C: the thermostats move
            let r = c.returnRelation(dtS: 1, pumpOn: true, roomC: room)
            let ts = 55.0
            let back = r.alpha + r.beta * ts
            fromExchanger += r.totalKgPerS * Water.cpKJPerKgK * (ts - back)
            c.advance(dtS: 1, supplyC: ts, emitterKgPerS: r.emitterKgPerS, totalKgPerS: r.totalKgPerS, roomC: room)
            XCTAssertEqual(c.returnC, back, accuracy: 1e-9)
            toRoom += c.toRoomKW
        }
        XCTAssertEqual(c.storedKJ - e0, fromExchanger - toRoom, accuracy: 1e-6 * fromExchanger)
    }

    /// A substation with its building, circuit and DHW tank over two winter days under its
    /// controller: heat from the network = stored change + building loss − gains + hot water
    /// drawn + tank loss, to rounding.
    func testSubstationEnergyBalance() {
        let design = SubstationDesign(designLoadKW: 40, emitter: .radiators, secondarySupplyC: 70, secondaryReturnC: 50,
                                      primarySupplyC: 85, primaryReturnC: 55, designDifferentialPressureKPa: 25)
        let params = BuildingParameters.make(heatLossKWPerK: 0.8, floorAreaM2: 400, construction: .medium, occupiedGainsWPerM2: 5,
                                             unoccupiedGainsWPerM2: 1, solarGainsWPerM2: [Double](repeating: 2, count: 12))
        let schedule = WeeklySchedule(periods: [.init(weekdays: Set(1...7), fromHour: 6, toHour: 22)])
        var sub = Substation(id: "x", design: design, building: Building(parameters: params, initialC: 18), schedule: schedule,
                             dhwDemand: DHWDemand(litresPerDay: 400, hourlyShare: DHWDemand.residentialProfile),
                             dhwTank: DHWTank(volumeM3: 0.5, lossKWPerK: 0.004, coilUAKWPerK: 0.9, initialC: 55), meterSerial: 1)
        let cal = SimCalendar(start: CivilDate(year: 2025, month: 1, day: 6))
        let e0 = sub.storedKJ
        var fromNetwork = 0.0, out = 0.0
        for k in 0..<(2 * 86400) {
            var cmd = SubstationCommand()
            cmd.secondaryPump = true
            cmd.heatingValve = k % 7200 < 5400 ? 0.5 : 0
            cmd.dhwValve = (sub.dhwTank!.lowerSensorC < 55) ? 1 : 0
            sub.moveValves(toward: cmd, dtS: 1)
            let q = sub.conductance * 25.0.squareRoot()
            sub.step(dtS: 1, moment: cal.moment(Double(k)), outdoorC: -5, supplyC: 80, primaryM3PerH: q, command: cmd)
            fromNetwork += sub.primaryHeatKW
            out += sub.building.lossKW - sub.gainsKW + sub.dhwTank!.drawKW + sub.dhwTank!.lossKW
        }
        XCTAssertGreaterThan(fromNetwork, 1e5)
        XCTAssertEqual(sub.storedKJ - e0, fromNetwork - out, accuracy: 1e-6 * fromNetwork)
    }
}
