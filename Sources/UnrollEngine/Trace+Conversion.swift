extension StepTrace {
    /// The same step with every value converted to another precision.
    public func converted<U: EngineScalar>(to _: U.Type = U.self) -> StepTrace<U> {
        StepTrace<U>(
            column: column, preactivation: preactivation.converted(), gates: gates.map { $0.converted() },
            hidden: hidden.converted(), cell: cell?.converted(), hiddenGradient: hiddenGradient.converted(),
            hiddenGradientNorm: hiddenGradientNorm,
            cellGradient: cellGradient?.converted(), jacobianNorm: jacobianNorm,
            cellJacobianNorm: cellJacobianNorm, lastLossGradientNorm: lastLossGradientNorm,
            focusLossGradientNorm: focusLossGradientNorm, focusLossCellGradientNorm: focusLossCellGradientNorm)
    }
}

extension LayerTrace {
    /// The same layer with every value converted to another precision.
    public func converted<U: EngineScalar>(to _: U.Type = U.self) -> LayerTrace<U> {
        var layer = LayerTrace<U>(
            label: label, layer: layer, reverse: reverse, segment: segment, hiddenSize: hiddenSize,
            steps: steps.converted(), startColumn: startColumn,
            initialHidden: initialHidden.converted(), initialHiddenGradient: initialHiddenGradient.converted(),
            initialCell: initialCell?.converted(), initialCellGradient: initialCellGradient?.converted())
        layer.recurrentTermNorms = recurrentTermNorms
        layer.recurrentSumNorms = recurrentSumNorms
        return layer
    }
}

extension Trace {
    /// The same trace with every value converted to another precision: a Float pass shown by
    /// code that reads Double. Conversion is exact from Float to Double.
    /// - Complexity: O(size of the trace).
    public func converted<U: EngineScalar>(to _: U.Type = U.self) -> Trace<U> {
        Trace<U>(
            spec: spec, options: options, batchSize: batchSize, columns: columns,
            decoderStartColumn: decoderStartColumn,
            inputs: inputs.converted(), inputGradients: inputGradients.converted(),
            inputGradientNorms: inputGradientNorms,
            conditioning: conditioning?.converted(), conditioningGradient: conditioningGradient?.converted(),
            context: context?.converted(), layers: layers.map { $0.converted() },
            outputs: outputs.converted(), outputGradients: outputGradients.converted(),
            outputGradientNorms: outputGradientNorms, probabilities: probabilities.converted(),
            losses: losses.map { $0.map { U($0) } }, loss: U(loss), lossColumns: lossColumns,
            parameterNames: parameterNames, parameters: parameters.map { $0.converted() },
            gradients: gradients.map { $0.converted() }, clippedGradients: clippedGradients.map { $0.converted() },
            clip: clip, recurrent: recurrent,
            nonFiniteForwardColumn: nonFiniteForwardColumn, nonFiniteBackwardColumn: nonFiniteBackwardColumn,
            fedBack: fedBack.converted(), hasGradients: hasGradients)
    }
}
