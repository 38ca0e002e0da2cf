import FnhostHost

extension MachineLoad {
    /// Who kept the CPUs busy during a saturated level: fnhost and its workers, or other processes on the machine
    /// (a build, another run), which no setting of the experiment can fix.
    var saturationCause: String {
        let share = "\(Int((fnhostBusy * 100).rounded())) %"
        return fnhostBusy >= machineBusy / 2
            ? "fnhost and its workers used \(share) of the CPUs"
            : "other processes kept the CPUs busy (fnhost and its workers used only \(share)); rerun on a quieter machine"
    }

    /// One note for every saturated level of a run.
    static func saturationNote(_ labelled: [(label: String, load: MachineLoad)]) -> String? {
        let saturated = labelled.filter(\.load.isSaturated)
        guard !saturated.isEmpty else { return nil }
        return "saturated at "
            + saturated.map { "\($0.label) (\($0.load.saturationCause))" }.joined(separator: ", ") + ": "
            + saturationAdvice
    }
}
