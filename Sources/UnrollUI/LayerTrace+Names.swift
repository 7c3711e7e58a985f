import UnrollEngine

extension LayerTrace {
    /// The PyTorch name of this layer's recurrent weight, e.g. `weight_hh_l0_reverse` or `decoder.weight_hh_l1`.
    var recurrentWeightName: String { segment + "weight_hh_l\(layer)" + (reverse ? "_reverse" : "") }
}

extension Trace {
    /// The spectral diagnostics of a layer's (ungated) recurrent weight, if it has a single block.
    func spectrum(of layer: LayerTrace<T>) -> RecurrentSpectrum? {
        recurrent.first { $0.name == layer.recurrentWeightName }
    }
}
