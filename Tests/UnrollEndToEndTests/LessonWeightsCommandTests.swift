import Foundation
import Testing

/// The repository's examples/ folder.
private let examplesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("examples")

@Test(
    "unroll lesson-weights writes a lesson's weights with the OpenBLAS core in their metadata; --check reproduces them on the same core, measures the difference from a changed file and exits 1 past the tolerance; an unknown name exits 2"
)
func lessonWeightsCommand() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("unroll-lesson-weights-\(getpid())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    try FileManager.default.copyItem(
        at: examplesFolder.appendingPathComponent("many2one.yaml"),
        to: folder.appendingPathComponent("many2one.yaml"))
    let r = try run([unrollBinary, "lesson-weights", "many2one", "--folder", folder.path])
    #expect(r.status == 0, "\(r.err)")
    let weights = folder.appendingPathComponent("many2one.safetensors")
    let written = try Data(contentsOf: weights)
    let core = try run([unrollBinary, "--version"]).out.components(separatedBy: "OpenBLAS core ").dropFirst().first?
        .split(separator: " ").first.map(String.init)
    let coreName = try #require(core, "unroll --version names the core")
    #expect(String(decoding: written, as: UTF8.self).contains("\"unroll.openblas_core\":\"\(coreName)\""))

    // The same binary on the same core retrains the same values.
    let same = try run([unrollBinary, "lesson-weights", "many2one", "--check", "--folder", folder.path])
    #expect(
        same.status == 0 && same.out.contains("many2one: identical values (retrained on \(coreName)"),
        "\(same.out)\(same.err)")
    #expect(try Data(contentsOf: weights) == written, "--check writes nothing")

    // The file's last value (a little-endian float64 at the end of the data) moved by 1e-3: --check finds it.
    var changed = written
    let end = changed.count
    let bits = changed[(end - 8)..<end].enumerated().reduce(UInt64(0)) {
        $0 | UInt64($1.element) << (8 * UInt64($1.offset))
    }
    let moved = (Double(bitPattern: bits) + 1e-3).bitPattern
    for i in 0..<8 { changed[end - 8 + i] = UInt8(truncatingIfNeeded: moved >> (8 * UInt64(i))) }
    try changed.write(to: weights)
    let differs = try run([unrollBinary, "lesson-weights", "many2one", "--check", "--folder", folder.path])
    #expect(differs.status == 1 && differs.out.contains("many2one: largest difference 0.001 at "), "\(differs.out)")
    #expect(differs.err.contains("many2one differ by more than 1e-09 from the committed files"), "\(differs.err)")

    // The committed file is within the tolerance of what this machine retrains, on whatever core it was made.
    let committed = try run([unrollBinary, "lesson-weights", "many2one", "--check", "--folder", examplesFolder.path])
    #expect(
        committed.status == 0 && committed.out.contains("many2one: ") && committed.out.contains(", made on "),
        "\(committed.out)\(committed.err)")

    let bad = try run([unrollBinary, "lesson-weights", "vanishing"])
    #expect(
        bad.status == 2
            && bad.err.contains(
                "no recipe for 'vanishing'; the lessons with one are: sharing, bidir, many2one, lstm, memory, many2many"),
        "\(bad.err)")
    let missing = try run([unrollBinary, "lesson-weights", "bidir", "--folder", folder.path])
    #expect(missing.status == 2 && missing.err.contains("bidir"), "\(missing.err)")
    let noFile = try run([unrollBinary, "lesson-weights", "bidir", "--check", "--folder", folder.path])
    #expect(noFile.status == 2 && noFile.err.contains("bidir"), "\(noFile.err)")
}
