import Foundation
import Testing

/// The built-in lessons live inside the binary: a copy of `unroll` alone, run from another folder, has them all.
@Suite("The binary alone")
struct StandaloneBinaryTests {
    /// The names examples/index.txt lists, in order.
    let names: [String] = {
        let index = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples/index.txt")
        return ((try? String(contentsOf: index, encoding: .utf8)) ?? "").split(separator: "\n")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
    }()

    @Test("A copy of unroll alone in an empty folder, run from another folder, lists every lesson and traces one")
    func copiedAlone() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("unroll-alone-\(getpid())")
        let bin = base.appendingPathComponent("bin"), elsewhere = base.appendingPathComponent("elsewhere")
        for dir in [bin, elsewhere] {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        }
        defer { try? FileManager.default.removeItem(at: base) }
        let copy = bin.appendingPathComponent("unroll")
        // Copied while no test spawns: a child forked meanwhile would inherit the open copy and make it busy to exec.
        do {
            spawnLock.lock()
            defer { spawnLock.unlock() }
            try FileManager.default.copyItem(at: URL(fileURLWithPath: unrollBinary), to: copy)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: bin.path) == ["unroll"])

        let lessons = try run(["sh", "-c", "cd '\(elsewhere.path)' && exec '\(copy.path)' lessons"])
        #expect(lessons.status == 0, "\(lessons.err)")
        #expect(names.count >= 30)
        // One indented line a lesson, under its topic's heading, in the order of examples/index.txt.
        let lessonLines = lessons.out.split(separator: "\n").filter { $0.hasPrefix(" ") }
        #expect(lessonLines.map { String($0.drop { $0 == " " }.prefix { $0 != " " }) } == names)

        let csv = try run(["sh", "-c", "cd '\(elsewhere.path)' && exec '\(copy.path)' trace vanishing --format csv"])
        #expect(csv.status == 0, "\(csv.err)")
        #expect(csv.out.hasPrefix("section,name,column,token,layer,direction,unit,value\n"))
        #expect(csv.out == (try run([unrollBinary, "trace", "vanishing", "--format", "csv"])).out)
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere.path).isEmpty)
    }
}
