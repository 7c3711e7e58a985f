import UnrollEngine

/// The model every input is loaded into once it reads: the corpus's RNN (input 2, hidden 2, output 2).
let fuzzSpec = ModelSpec(cell: .rnn, inputSize: 2, hiddenSizes: [2], outputSize: 2)

/// libFuzzer entry point: the input is a safetensors file's bytes.
///
/// It is read with `SafetensorsFile(bytes:path:)`, and what reads is loaded into a small model and
/// written back (`encoded()`), which must read again to the same tensors. Any trap, crash or
/// sanitizer report is a bug; a thrown `SafetensorsError` is not.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafetensors(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: bytes, count: count))
    guard let file = try? SafetensorsFile(bytes: input, path: "fuzz.safetensors") else { return 0 }
    _ = try? Model<Double>(spec: fuzzSpec, weights: file, path: "fuzz.safetensors")
    let again = try? SafetensorsFile(bytes: file.encoded(dtype: "F64"), path: "again")
    if again?.tensors.map(\.name) != file.tensors.map(\.name) {
        fatalError("a file that reads did not read back after writing it")
    }
    return 0
}
