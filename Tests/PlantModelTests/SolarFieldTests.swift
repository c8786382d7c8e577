import XCTest
@testable import PlantModel

/// The solar field against closed forms: EN ISO 9806's efficiency curve, the stagnation
/// temperature where absorption and losses balance, the field's energy balance with the store,
/// the differential controller's hysteresis, and the solar geometry (declination, noon, tilt).
final class SolarFieldTests: XCTestCase {
    func testEfficiencyCurveAndStagnationTemperature() {
        let f = SolarField(kind: .flatPlate, areaM2: 100, tiltDeg: 35, latitudeDeg: 48.8, initialC: 20)
        // η = η0 − a1 ΔT/G − a2 ΔT²/G
        XCTAssertEqual(f.efficiency(irradianceWPerM2: 800, deltaK: 0), 0.80, accuracy: 1e-12)
        XCTAssertEqual(f.efficiency(irradianceWPerM2: 800, deltaK: 40), 0.80 - 3.5 * 40 / 800 - 0.015 * 1600 / 800, accuracy: 1e-12)
        let tube = SolarField(kind: .evacuatedTube, areaM2: 100, tiltDeg: 35, latitudeDeg: 48.8, initialC: 20)
        XCTAssertGreaterThan(tube.efficiency(irradianceWPerM2: 500, deltaK: 70), f.efficiency(irradianceWPerM2: 500, deltaK: 70),
                             "evacuated tubes lose less at a high temperature difference")
        // dry stagnation: η0 G = a1 ΔT + a2 ΔT²  →  ΔT = (−a1 + √(a1² + 4 a2 η0 G)) / (2 a2)
        let g = 1000.0, ta = 30.0
        let dT = (-3.5 + (3.5 * 3.5 + 4 * 0.015 * 0.8 * g).squareRoot()) / (2 * 0.015)
        var s = f
        for _ in 0..<(6 * 3600) { s.step(dtS: 1, irradianceWPerM2: g, ambientC: ta, storeC: 96) }   // the store full: the pump stays off
        XCTAssertFalse(s.pumpOn); XCTAssertTrue(s.stagnating)
        XCTAssertEqual(s.collectorC, ta + dT, accuracy: 0.1, "stagnation at \(ta + dT) °C")
        XCTAssertEqual(s.toLoopKWh, 0)
    }

    func testTheFieldsBalanceAndTheDifferentialController() {
        var f = SolarField(kind: .flatPlate, areaM2: 200, tiltDeg: 35, latitudeDeg: 48.8, initialC: 20)
        var stored = f.capacityKJPerM2K * f.areaM2 * f.collectorC, gained = 0.0, given = 0.0
        var pumpStarts = 0, wasOn = false
        for k in 0..<(24 * 3600) {
            // a clear day: a half-sine of 800 W/m² from 6 h to 18 h
            let h = Double(k) / 3600
            let g = h > 6 && h < 18 ? 800 * sin(Double.pi * (h - 6) / 12) : 0
            f.step(dtS: 1, irradianceWPerM2: g, ambientC: 20, storeC: 40)
            gained += f.collectorKW; given += f.toLoopKW
            if f.pumpOn && !wasOn { pumpStarts += 1 }
            wasOn = f.pumpOn
        }
        // what the collectors gained is what they gave the store plus what they still hold
        let end = f.capacityKJPerM2K * f.areaM2 * f.collectorC
        XCTAssertEqual(gained - given, (end - stored) / 1, accuracy: 1e-6 * abs(gained))
        stored = end
        XCTAssertEqual(f.toLoopKWh, given / 3600, accuracy: 1e-9)
        // a clear day at a 40 °C store: 6 h-equivalent of 800 W/m² × 200 m² is 1,222 kWh on the aperture
        XCTAssertEqual(f.irradiationKWh, 800 * 200 / 1000 * 24 / Double.pi, accuracy: 1)
        XCTAssertGreaterThan(f.toLoopKWh / f.irradiationKWh, 0.45); XCTAssertLessThan(f.toLoopKWh / f.irradiationKWh, 0.75)
        // the 6 K / 2 K hysteresis: a few starts, not one per minute
        XCTAssertLessThanOrEqual(pumpStarts, 3)
        XCTAssertFalse(f.pumpOn, "off at night")
    }

    func testSolarGeometry() {
        // declination: −23.45° on 21 December (day 355), about 0 at the equinox (day 81)
        XCTAssertEqual(SolarRadiation.declinationDeg(dayOfYear: 355), -23.45, accuracy: 0.05)
        XCTAssertEqual(SolarRadiation.declinationDeg(dayOfYear: 81), 0, accuracy: 0.5)
        // noon on the equinox at 48.8° N: zenith = latitude
        XCTAssertEqual(SolarRadiation.cosZenith(latitudeDeg: 48.8, dayOfYear: 81, solarHour: 12), cos(48.8 * Double.pi / 180), accuracy: 0.01)
        // a south plane tilted at the latitude faces the equinox's noon sun
        XCTAssertEqual(SolarRadiation.cosIncidenceSouth(latitudeDeg: 48.8, tiltDeg: 48.8, dayOfYear: 81, solarHour: 12), 1, accuracy: 1e-3)
        // winter: the tilted plane gets more than the horizontal; nothing at night
        let ghi = SolarRadiation.syntheticGHIWPerM2(latitudeDeg: 48.8, dayOfYear: 15, solarHour: 12, clearSkyShare: 1)
        XCTAssertGreaterThan(SolarRadiation.tiltedSouthWPerM2(ghi: ghi, latitudeDeg: 48.8, tiltDeg: 45, dayOfYear: 15, solarHour: 12), ghi)
        XCTAssertEqual(SolarRadiation.syntheticGHIWPerM2(latitudeDeg: 48.8, dayOfYear: 15, solarHour: 0, clearSkyShare: 1), 0)
    }

    /// A year of the Paris region's synthetic sky on a flat-plate field at 35°, its store at
    /// 40 °C (the return of a 70 °C network with a preheat store): the yield is the order of the
    /// 420 kWh/m² a year the issue quotes for the Paris region.
    func testAParisYearsYield() {
        let share = [0.57, 0.62, 0.63, 0.65, 0.61, 0.61, 0.64, 0.64, 0.67, 0.64, 0.60, 0.58]
        let monthMeanC = [4.7, 5.4, 8.5, 11.3, 14.9, 18.1, 20.3, 20.0, 16.5, 12.6, 8.0, 5.2]
        let days = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        var f = SolarField(kind: .flatPlate, areaM2: 1000, tiltDeg: 35, latitudeDeg: 48.8, initialC: 10)
        var n = 0, ghiKWh = 0.0
        for m in 0..<12 {
            for _ in 0..<days[m] {
                n += 1
                for k in 0..<(24 * 60) {
                    let solarHour = (Double(k) + 0.5) / 60
                    let ghi = SolarRadiation.syntheticGHIWPerM2(latitudeDeg: 48.8, dayOfYear: n, solarHour: solarHour, clearSkyShare: share[m])
                    ghiKWh += ghi / 1000 / 60
                    let g = SolarRadiation.tiltedSouthWPerM2(ghi: ghi, latitudeDeg: 48.8, tiltDeg: 35, dayOfYear: n, solarHour: solarHour)
                    f.step(dtS: 60, irradianceWPerM2: g, ambientC: monthMeanC[m] + 4 * sin(Double.pi * (solarHour - 9) / 12), storeC: 40)
                }
            }
        }
        let yield = f.toLoopKWh / f.areaM2
        XCTAssertEqual(ghiKWh, 1140, accuracy: 40, "global horizontal irradiation of the synthetic Paris year")
        // a 35° south plane gets more than the horizontal (only +2 % under this synthetic sky:
        // the same share of the clear sky every hour is hazier than a real mix of clear and
        // overcast days, whose beam the tilt gains from; measured skies give +10–15 %)
        XCTAssertGreaterThan(f.irradiationKWh / f.areaM2, ghiKWh)
        XCTAssertGreaterThan(yield, 350); XCTAssertLessThan(yield, 520)
        print("solar year: GHI \(Int(ghiKWh)) kWh/m², on the plane \(Int(f.irradiationKWh / f.areaM2)) kWh/m², yield \(Int(yield)) kWh/m²")
    }
}
