import Foundation
import Testing
import UnrollEngine
import UnrollTraining

/// A fixture file's bytes.
func fixtureBytes(_ name: String, _ ext: String) throws -> [UInt8] {
    let url = try #require(Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Fixtures"))
    return Array(try Data(contentsOf: url))
}

@Test(
    "A PyTorch state_dict (nn.RNN, nn.LSTM, nn.GRU + nn.Linear 'output') saved with safetensors gives PyTorch's outputs in Unroll",
    arguments: [CellKind.rnn, .lstm, .gru])
func torchWeightsLoad(_ cell: CellKind) throws {
    struct Outputs: Decodable {
        var x: [Double]
        var rnn: [Double]
        var lstm: [Double]
        var gru: [Double]
    }
    let expected = try JSONDecoder().decode(Outputs.self, from: Data(try fixtureBytes("torch_outputs", "json")))
    let file = try SafetensorsFile(
        bytes: try fixtureBytes("torch_\(cell.rawValue)", "safetensors"), path: "torch_\(cell.rawValue).safetensors")
    let spec = ModelSpec(cell: cell, inputSize: 3, hiddenSizes: [4], outputSize: 2)
    func body<T: EngineScalar>(_: T.Type, tolerance: Double) throws {
        let model = try Model<T>(spec: spec, weights: file, path: "fixture")
        let x = (0..<5).map { t in Matrix<T>(rows: 2, cols: 3, storage: expected.x[(t * 6)..<(t * 6 + 6)].map { T($0) })
        }
        let sample = Sample(inputs: x, targets: .values(Array(repeating: Matrix<T>(rows: 2, cols: 2), count: 5)))
        let r = try Engine.gradients(model: model, sample: sample)
        let want = cell == .rnn ? expected.rnn : cell == .lstm ? expected.lstm : expected.gru
        let got = r.outputs.flatMap { $0?.storage.map(Double.init) ?? [] }
        #expect(got.count == want.count)
        let err = zip(got, want).map { abs($0 - $1) }.max() ?? .infinity
        #expect(err < tolerance, "\(T.self): max output difference \(err)")
    }
    try body(Double.self, tolerance: 1e-12)
    try body(Float.self, tolerance: 1e-5)
}

@Test("Weights saved by Unroll after training read back to the same model, in both precisions")
func unrollWeightsRoundTrip() throws {
    func body<T: EngineScalar>(_: T.Type) throws {
        let task = TrainingTask(kind: .copyMemory, length: 3)
        var trainer = Trainer(
            model: Model<T>(spec: task.spec(cell: .gru, hiddenSize: 5), seed: 3), task: task,
            settings: TrainingSettings(batchSize: 4), seed: 2)
        for _ in 0..<3 { try trainer.step() }
        let bytes = trainer.model.weights().encoded(dtype: T.self == Float.self ? "F32" : "F64")
        let back = try Model<T>(
            spec: trainer.model.spec, weights: try SafetensorsFile(bytes: bytes, path: "w"), path: "w")
        #expect(back == trainer.model)
    }
    try body(Double.self)
    try body(Float.self)
}
