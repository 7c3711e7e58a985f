import Foundation
import Testing

/// The repository's examples/ folder.
private let examplesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("examples")

@Test("unroll lesson-weights writes the committed weights of a lesson byte for byte; an unknown name exits 2")
func lessonWeightsCommand() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("unroll-lesson-weights-\(getpid())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    try FileManager.default.copyItem(at: examplesFolder.appendingPathComponent("many2one.yaml"),
                                     to: folder.appendingPathComponent("many2one.yaml"))
    let r = try run([unrollBinary, "lesson-weights", "many2one", "--folder", folder.path])
    #expect(r.status == 0, "\(r.err)")
    let written = try Data(contentsOf: folder.appendingPathComponent("many2one.safetensors"))
    #expect(written == (try Data(contentsOf: examplesFolder.appendingPathComponent("many2one.safetensors"))))
    let bad = try run([unrollBinary, "lesson-weights", "memory"])
    #expect(bad.status == 2 && bad.err.contains("no recipe for 'memory'; the lessons with one are: sharing, bidir, many2one, lstm"), "\(bad.err)")
    let missing = try run([unrollBinary, "lesson-weights", "bidir", "--folder", folder.path])
    #expect(missing.status == 2 && missing.err.contains("bidir"), "\(missing.err)")
}
