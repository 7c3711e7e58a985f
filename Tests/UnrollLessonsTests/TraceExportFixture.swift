import UnrollEngine

@testable import UnrollLessons

/// A hand-built lesson small enough to check by hand: a linear RNN (identity activation),
/// I = H = O = 2, B = 1, two tokens, MSE, with dyadic weights so every number is short.
///
/// W_ih = I, W_hh = diag(0.5, 0.25), W_out = I, biases 0; x = [1 0], [0 1]; targets b, a
/// (one-hot [0 1], [1 0]). Then h₁ = [1 0], h₂ = [0.5 1], y = h, ℓ₁ = 1, ℓ₂ = 0.625,
/// ∂L/∂y = [1 −1], [−0.5 1], ∂L/∂h₂ = [−0.5 1], ∂L/∂h₁ = [1 −1] + W_hhᵀ[−0.5 1] = [0.75 −0.75].
enum TraceExportFixture {
    /// The lesson: its name, title and precision are what the export reads.
    static let lesson = Lesson(
        name: "tiny", title: "Two tokens, two units", activation: .identity,
        hiddenSizes: [2], tokens: ["a", "b"], targets: ["b", "a"], loss: .mse)

    /// The run and trace of the hand-built model.
    static func traced(tokens: [String] = ["a", "b"]) throws -> (LessonRun<Double>, Trace<Double>) {
        let spec = ModelSpec(activation: .identity, inputSize: 2, hiddenSizes: [2], outputSize: 2)
        var model = Model<Double>(spec: spec, seed: 1)
        model.set("weight_ih_l0", Matrix(rows: 2, cols: 2, storage: [1, 0, 0, 1]))
        model.set("weight_hh_l0", Matrix(rows: 2, cols: 2, storage: [0.5, 0, 0, 0.25]))
        model.set("bias_ih_l0", Matrix(row: [0, 0]))
        model.set("bias_hh_l0", Matrix(row: [0, 0]))
        model.set("output.weight", Matrix(rows: 2, cols: 2, storage: [1, 0, 0, 1]))
        model.set("output.bias", Matrix(row: [0, 0]))
        let sample = Sample<Double>(
            inputs: [Matrix(row: [1, 0]), Matrix(row: [0, 1])],
            targets: .classes([[1], [0]]), steps: 2)
        let options = RunOptions(loss: .mse, recordJacobians: false)
        let trace = try Engine.run(model: model, sample: sample, options: options)
        let run = LessonRun(
            model: model, sample: sample, options: options, inputLabels: tokens,
            targetLabels: ["b", "a"], vocabulary: ["a", "b"])
        return (run, trace)
    }
}
