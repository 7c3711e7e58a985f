import Foundation
import Testing

@testable import UnrollEngine

/// The cells' tanh agrees with libm's tanh to a few ulps relative over the whole range, tiny and
/// subnormal arguments included, keeps the sign of ±0, saturates to ±1 exactly and propagates NaN.
struct FastTanhTests {
    /// Magnitudes from the smallest subnormal to past saturation: every decade, both sides of the
    /// 0.55 switch between the two formulas, and the usual cell range.
    static let magnitudes: [Double] =
        [
            Double.leastNonzeroMagnitude, Double.leastNormalMagnitude / 3e3, Double.leastNormalMagnitude, 1e-300,
            1e-200, 1e-100,
            1e-30, 1e-16, 1e-12, 1e-9, 1e-8, 3e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 0.01, 0.1, 0.3, 0.5,
            0.55.nextDown, 0.55, 0.55.nextUp, 0.6, 0.8, 1, 1.5, 2, 3, 5, 8, 12, 18, 19, 19.1, 20, 30
        ] + (1...200).map { Double($0) / 40 }

    /// |a − b| in units of b's ulp (b's ulp at the least normal magnitude for b = 0).
    static func ulps<T: BinaryFloatingPoint>(_ a: T, _ b: T) -> Double {
        Double(abs(a - b) / (b == 0 ? T.leastNonzeroMagnitude : b.ulp))
    }

    @Test func doubleWithinFourUlpsOfLibm() {
        for m in Self.magnitudes {
            for x in [m, -m] {
                let ref = tanh(x)
                #expect(Self.ulps(fastTanh(x), ref) <= 4, "x = \(x): \(fastTanh(x)) vs \(ref)")
                if ref != 0 { #expect(abs(fastTanh(x) - ref) / abs(ref) <= 1e-15, "x = \(x)") }
            }
        }
    }

    @Test func floatWithinOneUlpOfRoundedDouble() {
        let floats: [Float] =
            Self.magnitudes.map { Float($0) } + [
                Float.leastNonzeroMagnitude, Float.leastNormalMagnitude, Float.leastNormalMagnitude / 3e3, 1e-30, 1e-20
            ]
        for m in floats where m != 0 {
            for x in [m, -m] {
                let ref = Float(tanh(Double(x)))
                #expect(Self.ulps(fastTanh(x), ref) <= 1, "x = \(x): \(fastTanh(x)) vs \(ref)")
            }
        }
    }

    @Test func tinyArgumentsAreTheirOwnTanh() {
        // tanh x = x − x³/3 + …: below 1e-9 the cubic term is under half an ulp, so tanh x rounds to x.
        for x in [1e-300, 1e-100, 1e-20, 1e-12, Double.leastNonzeroMagnitude, Double.leastNormalMagnitude] {
            #expect(fastTanh(x) == x && fastTanh(-x) == -x)
        }
        #expect(
            fastTanh(Float(1e-30)) == Float(1e-30)
                && fastTanh(Float.leastNonzeroMagnitude) == Float.leastNonzeroMagnitude)
    }

    @Test func limits() {
        #expect(fastTanh(Double.infinity) == 1 && fastTanh(-Double.infinity) == -1)
        #expect(fastTanh(Float.infinity) == 1 && fastTanh(-Float.infinity) == -1)
        #expect(fastTanh(Double.nan).isNaN && fastTanh(Float.nan).isNaN)
        #expect(fastTanh(0.0 as Double) == 0 && fastTanh(0.0 as Double).sign == .plus)
        #expect(fastTanh(-0.0 as Double) == 0 && fastTanh(-0.0 as Double).sign == .minus)
        #expect(fastTanh(-0.0 as Float).sign == .minus && fastTanh(0.0 as Float).sign == .plus)
        // 1 − tanh x ≈ 2e^(−2x) is below half an ulp of 1 (2⁻⁵⁴) from x ≈ 19.06 on.
        for x in [19.1, 20, 50, 710, 1e300, Double.greatestFiniteMagnitude] {
            #expect(fastTanh(x) == 1 && fastTanh(-x) == -1, "x = \(x)")
        }
        #expect(fastTanh(Float(10)) == 1 && fastTanh(Float(-10)) == -1)
    }

    @Test("A tanh RNN with states near 1e-8 agrees with the recurrence through libm's tanh to 1e-12 relative")
    func tinyStatesAgreeWithRecurrence() throws {
        let spec = ModelSpec(cell: .rnn, activation: .tanh, inputSize: 3, hiddenSizes: [4], outputSize: 2)
        var model = Model<Double>(spec: spec, initialization: Initialization(scheme: .normal, std: 0.5), seed: 3)
        for name in ["bias_ih_l0", "bias_hh_l0"] {
            let b = try #require(model[name])
            model.set(name, Matrix(rows: b.rows, cols: b.cols, storage: b.storage.map { $0 * 1e-8 }))
        }
        var sample = randomSample(spec, steps: 8, batch: 1, as: Double.self)
        sample.inputs = sample.inputs.map {
            Matrix(rows: $0.rows, cols: $0.cols, storage: $0.storage.map { $0 * 1e-8 })
        }
        sample.initialHidden = [:]
        let trace = try Engine.run(model: model, sample: sample)
        let wih = try #require(model["weight_ih_l0"]), whh = try #require(model["weight_hh_l0"])
        let bih = try #require(model["bias_ih_l0"]), bhh = try #require(model["bias_hh_l0"])
        let steps = try #require(trace.layers.first).steps
        try #require(steps.count == sample.inputs.count)
        var h = [Double](repeating: 0, count: 4)
        for (t, step) in steps.enumerated() {
            let x = sample.inputs[t]
            h = (0..<4).map { i in
                var z = bih.storage[i] + bhh.storage[i]
                for j in 0..<3 { z += wih[i, j] * x[0, j] }
                for j in 0..<4 { z += whh[i, j] * h[j] }
                return tanh(z)
            }
            for i in 0..<4 {
                #expect(abs(h[i]) > 1e-10 && abs(h[i]) < 1e-6)
                #expect(abs(step.hidden[0, i] - h[i]) <= 1e-12 * abs(h[i]), "t = \(t), unit \(i)")
            }
        }
    }
}
