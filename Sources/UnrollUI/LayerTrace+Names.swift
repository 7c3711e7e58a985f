import UnrollEngine

extension Trace {
    /// The spectral diagnostics of a layer's (ungated) recurrent weight, if it has a single block.
    func spectrum(of layer: LayerTrace<T>) -> RecurrentSpectrum? {
        recurrent.first { $0.name == layer.recurrentWeightName }
    }
}
