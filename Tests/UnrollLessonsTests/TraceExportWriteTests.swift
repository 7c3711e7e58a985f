import Foundation
import Testing

@testable import UnrollLessons

/// A fresh empty directory for one test.
private func scratchDirectory() throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("unroll-trace-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    return path
}

@Test("write creates the file, refuses to overwrite it without force, replaces it with force, leaves no temporary file")
func writeRefusesOverwrite() throws {
    let dir = try scratchDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = dir + "/trace.json"
    try TraceExport.write("first\n", to: path, force: false)
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "first\n")

    #expect(throws: TraceExportError.fileExists(path: path)) {
        try TraceExport.write("second\n", to: path, force: false)
    }
    #expect(
        TraceExportError.fileExists(path: path).description == "\(path) already exists; pass --force to overwrite it")
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "first\n")

    try TraceExport.write("second\n", to: path, force: true)
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "second\n")
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["trace.json"])
    let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    #expect(mode & 0o600 == 0o600)
}

@Test("write names the path when the directory is missing or the path is a directory")
func writeReportsPath() throws {
    let dir = try scratchDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let missing = dir + "/no/such/trace.csv"
    #expect(throws: TraceExportError.missingDirectory(path: missing, directory: dir + "/no/such")) {
        try TraceExport.write("x", to: missing, force: true)
    }
    #expect(
        TraceExportError.missingDirectory(path: missing, directory: dir + "/no/such").description
            == "cannot write \(missing): the directory \(dir)/no/such does not exist")
    #expect(throws: TraceExportError.isDirectory(path: dir)) { try TraceExport.write("x", to: dir, force: true) }
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
}

#if os(Linux)
    @Test("write reports a failing system call with the path and the system's message")
    func writeReportsIOError() throws {
        // procfs refuses new files, even to root.
        let path = "/proc/unroll-trace.json"
        do {
            try TraceExport.write("x", to: path, force: false)
            Issue.record("created a file in /proc")
        } catch {
            #expect(error.path == path)
            #expect(error.description.hasPrefix("cannot write \(path): creating /proc/.unroll-trace.json."))
            #expect(error.description.hasSuffix(".tmp failed: No such file or directory"), "\(error)")
        }
    }
#endif

@Test("The directory of a path: its part before the last slash, . for a bare name, / at the root")
func directoryOfPath() {
    #expect(TraceExport.directory(of: "trace.json") == ".")
    #expect(TraceExport.directory(of: "out/trace.json") == "out")
    #expect(TraceExport.directory(of: "/trace.json") == "/")
}

@Test("writeNew takes the first free name of stem, stem-2 … stem-99, replaces nothing, and says when all are taken")
func writeNewTakesAFreeName() throws {
    let dir = try scratchDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let stem = dir + "/figure"
    #expect(try TraceExport.writeNew(bytes: Array("a".utf8), stem: stem, suffix: ".svg") == stem)
    #expect(try TraceExport.writeNew(bytes: Array("b".utf8), stem: stem, suffix: ".svg") == stem + "-2")
    // Another suffix is another name: the first is free.
    #expect(try TraceExport.writeNew(bytes: Array("c".utf8), stem: stem, suffix: ".txt") == stem)
    #expect(try String(contentsOfFile: stem + ".svg", encoding: .utf8) == "a")
    #expect(try String(contentsOfFile: stem + "-2.svg", encoding: .utf8) == "b")
    // A gap is filled first; then the names run to 99 and no further.
    for n in 4...99 { try TraceExport.write("x", to: "\(stem)-\(n).svg", force: false) }
    #expect(try TraceExport.writeNew(bytes: Array("d".utf8), stem: stem, suffix: ".svg") == stem + "-3")
    #expect(try TraceExport.writeNew(bytes: Array("e".utf8), stem: stem, suffix: ".svg") == nil)
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir).count == 100)
    // Any other failure is thrown, naming the path.
    let missing = dir + "/no/such/figure"
    #expect(throws: TraceExportError.missingDirectory(path: missing + ".svg", directory: dir + "/no/such")) {
        try TraceExport.writeNew(bytes: [], stem: missing, suffix: ".svg")
    }
}
