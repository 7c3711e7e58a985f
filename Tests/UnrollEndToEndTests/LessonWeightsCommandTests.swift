import Foundation
import Testing

/// The repository's examples/ folder.
private let examplesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("examples")

@Test("unroll lesson-weights retrains the committed weights of a lesson (to the last bits of the BLAS kernel), the same bytes twice; an unknown name exits 2")
func lessonWeightsCommand() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("unroll-lesson-weights-\(getpid())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    try FileManager.default.copyItem(at: examplesFolder.appendingPathComponent("many2one.yaml"),
                                     to: folder.appendingPathComponent("many2one.yaml"))
    let r = try run([unrollBinary, "lesson-weights", "many2one", "--folder", folder.path])
    #expect(r.status == 0, "\(r.err)")
    let written = try Data(contentsOf: folder.appendingPathComponent("many2one.safetensors"))
    // The committed file was trained on one machine's OpenBLAS kernels; another kernel (another CPU, or
    // OPENBLAS_CORETYPE) rounds its products differently, so the retrained weights match it to a few units in
    // the last place (5e-16 measured between Prescott, Sandybridge, Haswell and the committed file), not bit for
    // bit. Bit for bit is checked where it holds: the same binary on the same machine, twice.
    let committed = try Data(contentsOf: examplesFolder.appendingPathComponent("many2one.safetensors"))
    let (mine, theirs) = (try safetensors(written), try safetensors(committed))
    #expect(mine.metadata == theirs.metadata)
    #expect(mine.tensors.mapValues(\.shape) == theirs.tensors.mapValues(\.shape) && mine.tensors.count == 6,
            "\(mine.tensors.mapValues(\.shape)) against \(theirs.tensors.mapValues(\.shape))")
    for (name, tensor) in theirs.tensors {
        let values = try #require(mine.tensors[name]?.values)
        try #require(values.count == tensor.values.count && !values.isEmpty, "\(name)")
        let worst = zip(values, tensor.values).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? .infinity
        #expect(worst < 1e-12, "\(name): retrained weights differ from the committed ones by \(worst)")
    }
    try FileManager.default.removeItem(at: folder.appendingPathComponent("many2one.safetensors"))
    let again = try run([unrollBinary, "lesson-weights", "many2one", "--folder", folder.path])
    #expect(again.status == 0, "\(again.err)")
    #expect(try Data(contentsOf: folder.appendingPathComponent("many2one.safetensors")) == written, "the same machine, bit for bit")
    let bad = try run([unrollBinary, "lesson-weights", "memory"])
    #expect(bad.status == 2 && bad.err.contains("no recipe for 'memory'; the lessons with one are: sharing, bidir, many2one, lstm"), "\(bad.err)")
    let missing = try run([unrollBinary, "lesson-weights", "bidir", "--folder", folder.path])
    #expect(missing.status == 2 && missing.err.contains("bidir"), "\(missing.err)")
}

/// A float64 safetensors file read here, independently of unroll's reader: an 8-byte little-endian header length,
/// the JSON header (each tensor's dtype, shape and byte range; `__metadata__`), then the data.
private func safetensors(_ data: Data) throws -> (metadata: [String: String], tensors: [String: (shape: [Int], values: [Double])]) {
    let bytes = [UInt8](data)
    try #require(bytes.count >= 8)
    let length = Int(bytes[0..<8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) })
    try #require(length > 0 && 8 + length <= bytes.count)
    let header = try #require(try JSONSerialization.jsonObject(with: Data(bytes[8..<8 + length])) as? [String: Any])
    let body = Array(bytes[(8 + length)...])
    var tensors: [String: (shape: [Int], values: [Double])] = [:]
    for (name, value) in header where name != "__metadata__" {
        let entry = try #require(value as? [String: Any], "\(name)")
        try #require(entry["dtype"] as? String == "F64", "\(name): \(entry)")
        let shape = try #require(entry["shape"] as? [Int], "\(name)"), range = try #require(entry["data_offsets"] as? [Int], "\(name)")
        try #require(range.count == 2 && range[0] <= range[1] && range[1] <= body.count && (range[1] - range[0]) % 8 == 0, "\(name)")
        let values = stride(from: range[0], to: range[1], by: 8).map { at in
            Double(bitPattern: (0..<8).reduce(UInt64(0)) { $0 | UInt64(body[at + $1]) << (8 * UInt64($1)) })
        }
        try #require(values.count == shape.reduce(1, *), "\(name)")
        tensors[name] = (shape, values)
    }
    return (header["__metadata__"] as? [String: String] ?? [:], tensors)
}
