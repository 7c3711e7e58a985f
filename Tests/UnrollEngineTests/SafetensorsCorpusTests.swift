import Foundation
import Testing

@testable import UnrollEngine

/// Tests/Corpus/safetensors, written by scripts/make_bad_safetensors.py.
private let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Corpus/safetensors")

/// The model every corpus file is loaded into: an RNN with input 2, hidden 2, output 2.
private let corpusSpec = ModelSpec(cell: .rnn, inputSize: 2, hiddenSizes: [2], outputSize: 2)

/// Each corpus file and the exact message reading it (then loading it into `corpusSpec`) gives; nil: it loads.
private let expectations: [String: String?] = [
    "deeply-nested-header": "header: The given data was not valid JSON.",
    "dtype-bool": "tensor 'a': dtype BOOL is not one Unroll reads (BF16, F16, F32, F64)",
    "dtype-i64": "tensor 'a': dtype I64 is not one Unroll reads (BF16, F16, F32, F64)",
    "dtype-lowercase": "tensor 'a': dtype f32 is not one Unroll reads (BF16, F16, F32, F64)",
    "dtype-missing": "header: at a: missing \"dtype\"",
    "dtype-number": "header: at a.dtype: Expected to decode String but found number instead.",
    "empty": "file is 0 bytes: too short for the 8-byte header length",
    "entry-not-object": "header: at a: Expected to decode Dictionary<String, Any> but found an array instead.",
    "entry-null": "header: at a: Cannot get keyed decoding container -- found null value instead",
    "four-bytes": "file is 4 bytes: too short for the 8-byte header length",
    "good-f16": nil,
    "good-f32": nil,
    "header-a-list": "byte 8: the header does not start with '{'",
    "header-a-string": "byte 8: the header does not start with '{'",
    "header-cut-short": "header: The given data was not valid JSON.",
    "header-length-huge": "header length 18446744073709551615 is over the 100000000-byte limit",
    "header-length-over-limit": "header length 100000001 is over the 100000000-byte limit",
    "header-length-past-end": "header length 64 runs past the end of the 10-byte file (truncated?)",
    "header-length-zero": "header length 0 is too short for a JSON object",
    "header-not-json": "header: The given data was not valid JSON.",
    "header-not-utf8": "header: The given data was not valid JSON.",
    "header-trailing-garbage": "header: The given data was not valid JSON.",
    "metadata-a-list":
        "header: at __metadata__: Expected to decode Dictionary<String, Any> but found an array instead.",
    "metadata-not-strings": "header: at __metadata__.format: Expected to decode String but found number instead.",
    "model-data-cut": "tensor 'output.bias': data_offsets [64, 72] run past the 69-byte buffer (truncated?)",
    "model-extra-tensor": "tensor 'weight_hh_l1' is not a parameter of this model",
    "model-lstm-weights":
        "tensor 'weight_ih_l0' has shape [8, 2], the model needs [2, 2]; tensor 'weight_hh_l0' has shape [8, 2], the model needs [2, 2]; tensor 'bias_ih_l0' has shape [8], the model needs [2]; tensor 'bias_hh_l0' has shape [8], the model needs [2]",
    "model-missing-tensor": "missing tensor 'output.bias' ([2])",
    "model-transposed": "tensor 'output.bias' has shape [1, 2], the model needs [2]",
    "model-truncated": "header length 469 runs past the end of the 100-byte file (truncated?)",
    "model-wrong-names":
        "missing tensor 'weight_ih_l0' ([2, 2]); missing tensor 'weight_hh_l0' ([2, 2]); missing tensor 'bias_ih_l0' ([2]); missing tensor 'bias_hh_l0' ([2]); tensor 'weight_ih_l1' is not a parameter of this model; tensor 'weight_hh_l1' is not a parameter of this model; tensor 'bias_ih_l1' is not a parameter of this model; tensor 'bias_hh_l1' is not a parameter of this model",
    "names-duplicate": "header: the name 'a' is given twice",
    "offsets-hole": "tensor 'b': bytes 4..<8 of the buffer belong to no tensor",
    "offsets-huge": "header: The given data was not valid JSON.",
    "offsets-missing": "header: at a: missing \"data_offsets\"",
    "offsets-negative": "tensor 'a': data_offsets [-4, 0] are not an increasing pair",
    "offsets-overlap": "tensor 'b': data_offsets [4, 12] overlap the previous tensor, which ends at 8",
    "offsets-past-end": "tensor 'a': data_offsets [0, 8] run past the 4-byte buffer (truncated?)",
    "offsets-reversed": "tensor 'a': data_offsets [4, 0] are not an increasing pair",
    "offsets-same-range": "tensor 'b': data_offsets [0, 4] overlap the previous tensor, which ends at 4",
    "offsets-three": "header: at a.data_offsets: data_offsets has 3 numbers, not 2",
    "offsets-trailing-bytes": "bytes 4..<8 of the buffer belong to no tensor",
    "offsets-wrong-size": "tensor 'a': 4 bytes for shape [2] of F32, which needs 8",
    "shape-fraction": "header: The given data was not valid JSON.",
    "shape-huge-number": "header: The given data was not valid JSON.",
    "shape-negative": "tensor 'a': shape [-1] has a negative size",
    "shape-not-list": "header: at a.shape: Expected to decode Array<Any> but found number instead.",
    "shape-overflow":
        "tensor 'a': shape [4611686018427387904, 4611686018427387904] needs more bytes than the file's 4-byte buffer"
]

/// The outcome of reading `name` and loading it into `corpusSpec`: nil, or the error's text.
private func outcome(_ name: String) throws -> String? {
    let bytes = try [UInt8](Data(contentsOf: corpus.appendingPathComponent(name + ".safetensors")))
    do {
        let file = try SafetensorsFile(bytes: bytes, path: name)
        _ = try Model<Double>(spec: corpusSpec, weights: file, path: name)
        return nil
    } catch {
        return error.description
    }
}

@Test("Every file of the safetensors corpus has an expectation, and there are at least 45")
func safetensorsCorpusComplete() throws {
    let names = try FileManager.default.contentsOfDirectory(atPath: corpus.path)
        .filter { $0.hasSuffix(".safetensors") }.map { String($0.dropLast(".safetensors".count)) }.sorted()
    #expect(names.count >= 45)
    for name in names {
        if expectations[name] == nil {
            Issue.record("no expectation for \(name): \(String(describing: try outcome(name)))")
        }
    }
}

@Test(
    "Each safetensors corpus file gives its exact message naming the file, or loads",
    arguments: expectations.keys.sorted())
func safetensorsCorpusFile(_ name: String) throws {
    let expected = expectations[name].flatMap { $0.map { "\(name): \($0)" } }
    #expect(try outcome(name) == expected)
}

@Test("A header naming a tensor twice is refused; the scan follows strings, escapes and nesting")
func safetensorsDuplicateKeys() {
    func dup(_ json: String) -> String? { SafetensorsFile.duplicateKey(in: Array(json.utf8)) }
    #expect(dup(#"{"a": 1, "b": {"a": 2}, "c": ["a", "}"], "a": 3}"#) == "a")
    #expect(dup(#"{"a\"b": 1, "x": "a\"b", "a\"b": 2}"#) == #"a\"b"#)
    #expect(dup(#"{"a": 1, "b": {"a": 2, "a": 3}}"#) == nil)
    #expect(dup(#"{"a": [1, {"b": 2}], "b": 2}"#) == nil)
    #expect(dup("{\"a\": \"unterminated") == nil)
    #expect(dup("") == nil && dup("[1]") == nil && dup("{") == nil)
}

@Test("A tensor name holding escape sequences is printed escaped, never raw")
func safetensorsHostileName() throws {
    let header = #"{"\u001b]0;pwned\u0007\u202e":{"dtype":"I8","shape":[1],"data_offsets":[0,1]}}"#
    var bytes: [UInt8] = []
    withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { bytes.append(contentsOf: $0) }
    bytes += Array(header.utf8) + [0]
    let error = try #require(throws: SafetensorsError.self) { try SafetensorsFile(bytes: bytes, path: "x") }
    #expect(
        error.description
            == #"x: tensor '\u{1B}]0;pwned\u{7}\u{202E}': dtype I8 is not one Unroll reads (BF16, F16, F32, F64)"#)
}
