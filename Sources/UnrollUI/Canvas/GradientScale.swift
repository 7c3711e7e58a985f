import UnrollEngine

/// The log scale gradients are drawn on: six decades, from 10⁻⁴ to 10² times a reference norm.
///
/// The reference is ‖∂L/∂h‖ at the last column of the top layer, where the
/// loss enters the backward pass; so a gradient that keeps its size sits at
/// two thirds of the scale, a vanishing one fades to nothing and an
/// exploding one saturates.
public struct GradientScale: Sendable, Equatable {
    /// The norm drawn at two thirds of the scale.
    public var reference: Double

    /// The scale of a trace.
    public init(trace: Trace<Double>) {
        let top = trace.layers.last { !$0.reverse } ?? trace.layers.last
        var ref = top.flatMap { l in l.steps.hiddenGradientNorm.last } ?? 1
        if !(ref > 0) || !ref.isFinite {
            ref = trace.layers.flatMap { $0.steps.hiddenGradientNorm }.filter { $0 > 0 && $0.isFinite }.max() ?? 1
        }
        reference = ref
    }

    /// A scale with a given reference.
    public init(reference: Double) { self.reference = reference }

    /// The magnitude drawn as the scale's first colour: 10⁻⁴ of the reference (and everything smaller).
    public var floor: Double { reference * 1e-4 }
    /// The magnitude drawn as the scale's last colour: 10² times the reference (and everything larger).
    public var ceiling: Double { reference * 1e2 }

    /// Where a magnitude falls on the scale, in [0, 1]; NaN stays NaN, +Inf is 1.
    public func fraction(_ magnitude: Double) -> Double {
        if magnitude.isNaN { return .nan }
        if magnitude.isInfinite { return 1 }
        return Palette.logFraction(magnitude, floor: floor, ceiling: ceiling)
    }
}
