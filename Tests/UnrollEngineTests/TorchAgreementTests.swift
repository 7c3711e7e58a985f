import Foundation
import Testing

@testable import UnrollEngine

/// One case of `Fixtures/torch.json`, written by `scripts/make_torch_fixtures.py`.
struct TorchCase: Decodable, CustomTestStringConvertible, Sendable {
    var name: String
    var dtype: String
    var cell: String
    var nonlinearity: String
    var input_size: Int
    var hidden_size: Int
    var num_layers: Int
    var bidirectional: Bool
    var output_size: Int
    var batch: Int
    var steps: Int
    var loss: String
    var params: [String: [Double]]
    var x: [Double]
    var h0: [Double]
    var c0: [Double]?
    var targets: [Double]
    var outputs: [Double]
    var hidden: [Double]
    var loss_value: Double
    var grads: [String: [Double]]
    var grad_x: [Double]
    var grad_h0: [Double]
    var grad_c0: [Double]?
    var testDescription: String { "\(name) \(dtype)" }
}

let torchCases: [TorchCase] = {
    struct File: Decodable { var cases: [TorchCase] }
    guard let url = Bundle.module.url(forResource: "torch", withExtension: "json", subdirectory: "Fixtures"),
        let data = try? Data(contentsOf: url),
        let file = try? JSONDecoder().decode(File.self, from: data)
    else { return [] }
    return file.cases
}()

@Test("The PyTorch fixtures are present")
func torchFixturesLoad() {
    #expect(torchCases.count == 16)
}

@Test("Forward values and every gradient agree with PyTorch (1e-5 in Float, 1e-10 in Double)", arguments: torchCases)
func agreesWithTorch(_ c: TorchCase) throws {
    if c.dtype == "float32" {
        try compare(c, Float.self, tolerance: 1e-5)
    } else {
        try compare(c, Double.self, tolerance: 1e-10)
    }
}

private func compare<T: EngineScalar>(_ c: TorchCase, _: T.Type, tolerance: Double) throws {
    let cell: CellKind = c.cell == "lstm" ? .lstm : c.cell == "gru" ? .gru : .rnn
    let spec = ModelSpec(
        cell: cell, activation: c.nonlinearity == "relu" ? .relu : .tanh,
        inputSize: c.input_size, hiddenSizes: Array(repeating: c.hidden_size, count: c.num_layers),
        outputSize: c.output_size, bidirectional: c.bidirectional)
    var model = Model<T>(spec: spec, seed: 0)
    #expect(Set(model.layout.map(\.name)) == Set(c.params.keys))
    for d in model.layout {
        let values = try #require(c.params[d.name])
        model.set(d.name, Matrix(rows: d.rows, cols: d.cols, storage: values.map { T($0) }))
    }
    let (steps, batch, i, o, h) = (c.steps, c.batch, c.input_size, c.output_size, c.hidden_size)
    func slice(_ a: [Double], _ t: Int, _ width: Int) -> Matrix<T> {
        Matrix(rows: batch, cols: width, storage: a[(t * batch * width)..<((t + 1) * batch * width)].map { T($0) })
    }
    let targets: Targets<T> =
        c.loss == "mse"
        ? .values((0..<steps).map { slice(c.targets, $0, o) })
        : .classes((0..<steps).map { t in (0..<batch).map { Int(c.targets[t * batch + $0]) } })
    var sample = Sample(inputs: (0..<steps).map { slice(c.x, $0, i) }, targets: targets)
    let labels = spec.layers(prefix: "").map(\.label) // PyTorch's h0 order: layer-major, forward then reverse
    for (k, label) in labels.enumerated() {
        sample.initialHidden[label] = slice(c.h0, k, h)
        if let c0 = c.c0 { sample.initialCell[label] = slice(c0, k, h) }
    }
    let trace = try Engine.run(
        model: model, sample: sample,
        options: RunOptions(loss: c.loss == "mse" ? .mse : .crossEntropy, recordJacobians: false))

    func expectClose(_ ours: Matrix<T>, _ theirs: [Double], _ what: String) {
        let theirs = Matrix<T>(rows: ours.rows, cols: ours.cols, storage: theirs.map { T($0) })
        let err = relativeError(ours, theirs, floor: 1e-3)
        #expect(err < tolerance, "\(what): relative error \(err)")
    }
    #expect(
        abs(Double(trace.loss) - c.loss_value) / abs(c.loss_value) < tolerance, "loss \(trace.loss) vs \(c.loss_value)")
    for t in 0..<steps {
        expectClose(try #require(trace.outputs[t]), Array(c.outputs[(t * batch * o)..<((t + 1) * batch * o)]), "y_\(t)")
        let top = trace.layers.filter { $0.layer == c.num_layers - 1 }.map { $0.steps[t].hidden }
        let width = h * spec.directions
        expectClose(.joinedColumns(top), Array(c.hidden[(t * batch * width)..<((t + 1) * batch * width)]), "h_\(t)")
        expectClose(
            try #require(trace.inputGradients[t]), Array(c.grad_x[(t * batch * i)..<((t + 1) * batch * i)]),
            "∂L/∂x_\(t)")
    }
    for (k, d) in model.layout.enumerated() {
        expectClose(trace.gradients[k], try #require(c.grads[d.name]), "∂L/∂\(d.name)")
    }
    for (k, label) in labels.enumerated() {
        let layer = try #require(trace.layers.first { $0.label == label })
        expectClose(
            layer.initialHiddenGradient, Array(c.grad_h0[(k * batch * h)..<((k + 1) * batch * h)]), "∂L/∂h0 \(label)")
        if let g = c.grad_c0 {
            expectClose(
                try #require(layer.initialCellGradient), Array(g[(k * batch * h)..<((k + 1) * batch * h)]),
                "∂L/∂c0 \(label)")
        }
    }
}
