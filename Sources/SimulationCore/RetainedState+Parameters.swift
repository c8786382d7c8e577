import Foundation
import PlantControl
import PlantModel

extension Simulation {
    /// Restores the parameters of a version 2 retentive memory: each `"<device>.<point>"` must be
    /// a retentive point of a device of this plant, in its range; they are applied together,
    /// then the rules between points checked. Nothing changes when one is refused.
    mutating func restoreParameters(_ parameters: [String: Double], file: String, catalogue: Catalogue) throws {
        var trial = self
        var devices: [(DeviceType, DeviceInstance)] = []
        for t in catalogue.types { for d in t.instances(spec) { devices.append((t, d)) } }
        for key in parameters.keys.sorted() {
            let v = parameters[key]!
            func bad(_ why: String) -> RetainedStateError { RetainedStateError(file: file, field: "parameters.\(key)", message: why) }
            // device names may hold dots (`ecole.meter`): the longest device the key starts with
            guard let (t, d) = devices.filter({ key.hasPrefix($0.1.device + ".") }).max(by: { $0.1.device.count < $1.1.device.count }),
                  let p = t.point(String(key.dropFirst(d.device.count + 1)), spec: spec, in: catalogue), p.retentive, let w = p.write else {
                throw bad("no retentive parameter of that name in this plant")
            }
            guard v.isFinite, p.range.map({ $0.contains(v) }) ?? true else {
                throw bad("\(v) is outside \(p.range.map { "\($0.lowerBound)…\($0.upperBound)" } ?? "")")
            }
            guard !p.whole || v == v.rounded() else { throw bad("\(v) is not a whole number") }
            do { try w(&trial, d.index, v) } catch { throw bad("\(error)") }
        }
        for t in catalogue.types {
            for d in t.instances(spec) {
                for r in t.rules {
                    if let why = r.broken(trial, d.index) {
                        throw RetainedStateError(file: file, field: "parameters.\(d.device)", message: "\(r.text): \(why)")
                    }
                }
            }
        }
        self = trial
    }

    /// Restores the parameters of a version 1 retentive memory (typed fields).
    mutating func restoreVersion1Settings(_ r: RetainedState, file: String) throws {
        guard let circuits = r.circuits, let law = r.supplyLaw, let dp = r.differentialSetpointKPa, let maxSp = r.boilerMaxSetpointC else {
            throw RetainedStateError(file: file, field: "circuits", message: "missing (a version 1 state keeps circuits, supplyLaw, differentialSetpointKPa and boilerMaxSetpointC)")
        }
        var settings: [HeatingCircuitSettings] = []
        for (i, k) in circuits.enumerated() {
            var st = controller.substations[i].settings
            st.mode = CircuitMode(rawValue: k.mode)!   // checked by validate
            st.roomShiftK = k.roomShiftK; st.comfortRoomC = k.comfortRoomC; st.reducedRoomC = k.reducedRoomC
            if k.curveForm == 0, k.curve.count == 2 { st.curve = .slope(slope: k.curve[0], displacementK: k.curve[1]) }
            else if k.curveForm == 1, k.curve.count == 6 { st.curve = .sixPoint(flowC: k.curve) }
            else { throw RetainedStateError(file: file, field: "circuits[\(i)].curve", message: "form \(k.curveForm) with \(k.curve.count) values") }
            if let kc = k.keptCurve {
                if k.curveForm == 1, kc.count == 2 { st.keptCurve = .slope(slope: kc[0], displacementK: kc[1]) }
                else if k.curveForm == 0, kc.count == 6 { st.keptCurve = .sixPoint(flowC: kc) }
                else { throw RetainedStateError(file: file, field: "circuits[\(i)].keptCurve", message: "\(kc.count) values beside a curve of form \(k.curveForm)") }
                if let p = st.keptCurve?.problem { throw RetainedStateError(file: file, field: "circuits[\(i)].keptCurve", message: "\(p)") }
            } else { st.keptCurve = nil }
            st.minFlowC = k.minFlowC; st.maxFlowC = k.maxFlowC; st.summerCutOffC = k.summerCutOffC
            if let v = k.returnLimitColdC { st.returnLimitColdC = v }
            if let v = k.returnLimitWarmC { st.returnLimitWarmC = v }
            if let v = k.optimumStart { st.optimumStart = v }
            if let v = k.boostK { st.boostK = v }
            if let p = st.curve.problem { throw RetainedStateError(file: file, field: "circuits[\(i)].curve", message: "\(p)") }
            settings.append(st)
        }
        for (i, st) in settings.enumerated() {
            controller.substations[i].settings = st
            let k = circuits[i]
            if let v = k.dhwSetpointC { controller.substations[i].dhwSetpointC = v }
            if let v = k.dhwDifferentialK { controller.substations[i].dhwHysteresisK = v }
            if let v = k.dhwPriority { controller.substations[i].dhwPriority = v }
        }
        for (i, b) in r.boilers.enumerated() { if let d = b.disabled { controller.cascade.disabled[i] = d } }
        controller.settings.supplyLaw = SupplyLaw(coldOutdoorC: law[0], coldSupplyC: law[1], mildOutdoorC: law[2], mildSupplyC: law[3])
        controller.settings.differentialSetpointKPa = dp
        controller.settings.boilerMaxSetpointC = maxSp
    }
}
