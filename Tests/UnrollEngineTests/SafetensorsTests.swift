import Testing

@testable import UnrollEngine

/// A safetensors file from a header string and raw data bytes.
private func file(_ header: String, _ data: [UInt8] = []) -> [UInt8] {
    var out: [UInt8] = []
    withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { out.append(contentsOf: $0) }
    return out + Array(header.utf8) + data
}

@Test(
    "Weights round-trip through safetensors in both precisions, under PyTorch's names and shapes",
    arguments: CellKind.allCases)
func safetensorsRoundTrip(_ cell: CellKind) throws {
    let spec = ModelSpec(cell: cell, inputSize: 3, hiddenSizes: [4, 2], outputSize: 2, bidirectional: true)
    let model = Model<Double>(spec: spec, seed: 5)
    let bytes = model.weights().encoded(dtype: "F64")
    let read = try SafetensorsFile(bytes: bytes, path: "m.safetensors")
    #expect(read.metadata == ["format": "pt"])
    #expect(read["weight_hh_l1_reverse"]?.shape == [cell.gateCount * 2, 2])
    #expect(read["bias_ih_l0"]?.shape == [cell.gateCount * 4])
    #expect(try Model<Double>(spec: spec, weights: read, path: "m.safetensors") == model)
    let single = try SafetensorsFile(bytes: model.weights().encoded(dtype: "F32"), path: "m")
    let f = try Model<Float>(spec: spec, weights: single, path: "m")
    #expect(f == model.converted(to: Float.self))
    #expect((8 + Int(bytes[0])) % 8 == 0, "the header is padded to 8 bytes")
}

@Test("F16 and BF16 tensors are read and converted")
func safetensorsHalfPrecision() throws {
    // 1.5 in F16 is 0x3E00; -2 in BF16 is 0xC000.
    let bytes = file(
        #"{"a":{"dtype":"F16","shape":[1],"data_offsets":[0,2]},"b":{"dtype":"BF16","shape":[],"data_offsets":[2,4]}}"#,
        [0x00, 0x3E, 0x00, 0xC0])
    let f = try SafetensorsFile(bytes: bytes, path: "h")
    #expect(f["a"]?.values == [1.5])
    #expect(f["b"]?.values == [-2])
    #expect(f["b"]?.shape == [])
}

@Test(
    "Bad safetensors files get a message naming the file and the problem",
    arguments: [
        (file("{}").dropLast(3).map { $0 }, "too short"),
        (
            Array(file(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, [0, 0, 128, 63]).dropLast(2)),
            "run past"
        ),
        ([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0] + Array("{}".utf8), "over the"),
        ([200, 0, 0, 0, 0, 0, 0, 0] + Array("{}".utf8), "runs past the end"),
        (file("[1, 2]"), "does not start with"),
        (file("{\"a\": "), "not valid JSON"),
        (
            file(#"{"a":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}"#, [UInt8](repeating: 0, count: 8)),
            "dtype I64"
        ),
        (file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#, [0, 0, 0, 0]), "needs 8"),
        (
            file(
                #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[2,6]}}"#,
                [UInt8](repeating: 0, count: 6)), "overlap"
        ),
        (
            file(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, [UInt8](repeating: 0, count: 8)),
            "belong to no tensor"
        ),
        (file(#"{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, [0, 0, 0, 0]), "negative"),
        (
            file(#"{"a":{"dtype":"F32","shape":[4611686018427387904, 4],"data_offsets":[0,4]}}"#, [0, 0, 0, 0]),
            "needs more bytes"
        ),
        (file(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}"#, [0, 0, 0, 0]), "increasing"),
        (file(#"{"a":{"dtype":"F32","shape":[1]}}"#), "missing \"data_offsets\"")
    ] as [([UInt8], String)])
func safetensorsErrors(_ bytes: [UInt8], _ expected: String) {
    #expect {
        _ = try SafetensorsFile(bytes: bytes, path: "bad.safetensors")
    } throws: { error in
        let text = "\(error)"
        return text.hasPrefix("bad.safetensors: ") && text.contains(expected)
    }
}

@Test("Tensors that do not fit the model are all listed")
func safetensorsModelMismatch() throws {
    let spec = ModelSpec(cell: .rnn, inputSize: 2, hiddenSizes: [3], outputSize: 1)
    var weights = Model<Double>(spec: spec, seed: 1).weights()
    weights.tensors.removeAll { $0.name == "bias_hh_l0" }
    weights.tensors[0] = .init(name: "weight_ih_l0", dtype: "F32", shape: [2, 3], values: Array(repeating: 0, count: 6))
    weights.tensors.append(.init(name: "weight_hh_l1", dtype: "F32", shape: [1], values: [0]))
    #expect {
        _ = try Model<Double>(spec: spec, weights: weights, path: "w.safetensors")
    } throws: { error in
        let text = "\(error)"
        return text.contains("missing tensor 'bias_hh_l0' ([3])")
            && text.contains("tensor 'weight_ih_l0' has shape [2, 3], the model needs [3, 2]")
            && text.contains("tensor 'weight_hh_l1' is not a parameter")
    }
}
