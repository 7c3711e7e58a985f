import Foundation
import Testing

/// `make install` and `make uninstall`, staged under a temporary DESTDIR with the binary the tests built.
@Suite("Installing for a lab server")
struct InstallTests {
    @Test(
        "make install puts the binary, the man page and bash/zsh/fish completions under PREFIX; uninstall removes them")
    func installAndUninstall() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let stage = FileManager.default.temporaryDirectory.appendingPathComponent("unroll-stage-\(getpid())")
        defer { try? FileManager.default.removeItem(at: stage) }
        let make = [
            "make", "-s", "-C", root.path, "DESTDIR=\(stage.path)", "PREFIX=/opt/unroll", "UNROLL_BIN=\(unrollBinary)"
        ]
        let installed = try run(make + ["install"])
        #expect(installed.status == 0, "make install: \(installed.err)")
        let prefix = stage.appendingPathComponent("opt/unroll")
        let files = [
            "bin/unroll", "share/man/man1/unroll.1", "share/bash-completion/completions/unroll",
            "share/zsh/site-functions/_unroll", "share/fish/vendor_completions.d/unroll.fish"
        ]
        for f in files {
            #expect(FileManager.default.fileExists(atPath: prefix.appendingPathComponent(f).path), "missing \(f)")
        }
        let lessons = try run([prefix.appendingPathComponent("bin/unroll").path, "lessons"])
        #expect(lessons.status == 0 && lessons.out.contains("\n   memory "))
        let man = try String(contentsOf: prefix.appendingPathComponent("share/man/man1/unroll.1"), encoding: .utf8)
        #expect(man.contains(".Dt UNROLL 1"))
        let bash = try String(
            contentsOf: prefix.appendingPathComponent("share/bash-completion/completions/unroll"), encoding: .utf8)
        #expect(bash.contains("projector") && bash.contains("lessons"))
        let fish = try String(
            contentsOf: prefix.appendingPathComponent("share/fish/vendor_completions.d/unroll.fish"), encoding: .utf8)
        #expect(fish.contains("complete -c 'unroll'"))
        let removed = try run(make + ["uninstall"])
        #expect(removed.status == 0, "make uninstall: \(removed.err)")
        for f in files {
            #expect(!FileManager.default.fileExists(atPath: prefix.appendingPathComponent(f).path), "left behind: \(f)")
        }
    }
}
