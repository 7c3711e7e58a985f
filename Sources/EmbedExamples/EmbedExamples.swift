import Foundation

/// The build tool behind the EmbedExamplesPlugin: writes a Swift source holding the package's
/// examples/ folder, so the built-in lessons are those files and the binary needs nothing beside it.
///
/// Usage: `EmbedExamples EXAMPLES_FOLDER OUTPUT.swift [LABS_FOLDER]` (the worksheets, `NAME.md`, for handouts). It embeds `index.txt` and every `.yaml`
/// file as text (escaped string literals) and every `.safetensors` file as base64, and checks that
/// `index.txt` lists each `.yaml` file exactly once; any other problem fails the build with a message.
#if !UNROLL_FUZZ
    @main
#endif
enum EmbedExamples {
    /// Runs the tool on the command line's arguments; exits 1 with a message on any problem.
    static func main() {
        let arguments = CommandLine.arguments
        guard arguments.count == 3 || arguments.count == 4 else {
            fail("usage: EmbedExamples EXAMPLES_FOLDER OUTPUT.swift [LABS_FOLDER]")
        }
        do {
            var source = try generate(folder: URL(fileURLWithPath: arguments[1]))
            source += try worksheets(folder: arguments.count == 4 ? URL(fileURLWithPath: arguments[3]) : nil)
            try Data(source.utf8).write(to: URL(fileURLWithPath: arguments[2]), options: .atomic)
        } catch let error as Problem {
            fail(error.message)
        } catch {
            fail("\(error)")
        }
    }

    /// A problem with the examples folder, said as a message for the build log.
    struct Problem: Error {
        /// The message.
        var message: String
    }

    /// Prints `message` to standard error and exits 1.
    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("error: EmbedExamples: \(message)\n".utf8))
        exit(1)
    }

    /// The Swift source of `enum EmbeddedExamples` for the files in `folder`.
    static func generate(folder: URL) throws -> String {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        var texts: [(String, String)] = [], data: [(String, String)] = []
        for name in names where name == "index.txt" || name.hasSuffix(".yaml") || name.hasSuffix(".safetensors") {
            let bytes = try Data(contentsOf: folder.appendingPathComponent(name))
            if name.hasSuffix(".safetensors") {
                data.append((name, bytes.base64EncodedString()))
            } else {
                guard let text = String(data: bytes, encoding: .utf8) else {
                    throw Problem(message: "examples/\(name) is not UTF-8 text")
                }
                texts.append((name, text))
            }
        }
        // The texts to train on, examples/texts/NAME.txt, as "texts/NAME.txt" (a built-in lesson's training.text).
        let textFolder = folder.appendingPathComponent("texts")
        let textNames = (try? FileManager.default.contentsOfDirectory(atPath: textFolder.path).sorted()) ?? []
        for name in textNames where name.hasSuffix(".txt") {
            guard let text = String(data: try Data(contentsOf: textFolder.appendingPathComponent(name)), encoding: .utf8)
            else { throw Problem(message: "examples/texts/\(name) is not UTF-8 text") }
            texts.append(("texts/" + name, text))
        }
        guard let index = texts.first(where: { $0.0 == "index.txt" })?.1 else {
            throw Problem(message: "examples/index.txt is missing: it lists the built-in lessons in teaching order")
        }
        let order = try lessonOrder(index: index, files: Set(texts.map(\.0)))
        var out = """
            // Generated at build time by the EmbedExamples tool from the package's examples/ folder: do not edit.

            /// The package's examples/ folder, embedded in the binary: the built-in lessons.
            enum EmbeddedExamples {
                /// The lesson names in teaching order, as examples/index.txt lists them.
                static let order: [String] = [\(order.map(literal).joined(separator: ", "))]

                /// The text files (index.txt, every .yaml file, and texts/NAME.txt) by file name.
                static let texts: [String: String] = [

            """
        for (name, text) in texts { out += "        \(literal(name)): \(literal(text)),\n" }
        out += "    ]\n\n    /// The other files (.safetensors weights) by file name, as base64.\n"
        out += "    static let data: [String: String] = [\(data.isEmpty ? ":]" : "")\n"
        for (name, base64) in data { out += "        \(literal(name)): \(literal(base64)),\n" }
        out += data.isEmpty ? "}\n" : "    ]\n}\n"
        return out
    }

    /// The Swift source of `EmbeddedExamples.worksheets`: each `NAME.md` of `folder` by lesson name (none without one).
    static func worksheets(folder: URL?) throws -> String {
        var out = "\nextension EmbeddedExamples {\n    /// The worksheets of docs/labs/, by lesson name.\n"
        out += "    static let worksheets: [String: String] = ["
        let names = try folder.map { try FileManager.default.contentsOfDirectory(atPath: $0.path).sorted() } ?? []
        var any = false
        for name in names where name.hasSuffix(".md") && name != "README.md" {
            guard let folder, let text = String(data: try Data(contentsOf: folder.appendingPathComponent(name)), encoding: .utf8)
            else { throw Problem(message: "docs/labs/\(name) is not UTF-8 text") }
            out += "\n        \(literal(String(name.dropLast(3)))): \(literal(text)),"
            any = true
        }
        return out + (any ? "\n    ]\n}\n" : ":]\n}\n")
    }

    /// The names `index` lists (one a line; blank lines and `#` comments skipped), each with its
    /// `.yaml` file among `files`, every `.yaml` file listed exactly once.
    static func lessonOrder(index: String, files: Set<String>) throws -> [String] {
        var order: [String] = []
        for (number, raw) in index.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard files.contains(line + ".yaml") else {
                throw Problem(message: "examples/index.txt:\(number + 1): no file examples/\(line).yaml")
            }
            guard !order.contains(line) else {
                throw Problem(message: "examples/index.txt:\(number + 1): \(line) is listed twice")
            }
            order.append(line)
        }
        let unlisted = files.filter { $0.hasSuffix(".yaml") && !order.contains(String($0.dropLast(5))) }.sorted()
        guard unlisted.isEmpty else {
            throw Problem(
                message:
                    "examples/index.txt does not list \(unlisted.joined(separator: ", ")); add each name where it belongs in teaching order"
            )
        }
        return order
    }

    /// A Swift string literal of `text`: printable ASCII as is, newlines as `\n`, every other scalar as `\u{…}`, so
    /// the literal holds exactly the text's scalars whatever it contains.
    static func literal(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case " "..."~": out.unicodeScalars.append(scalar)
            default: out += "\\u{\(String(scalar.value, radix: 16))}"
            }
        }
        return out + "\""
    }
}

#if UNROLL_FUZZ
    // `make fuzz` builds every program with -sanitize=fuzzer, this host tool too, which then links libFuzzer and
    // its `main` (Package.swift defines UNROLL_FUZZ for this target then). As for the fuzzers (Fuzz/*/Main.swift),
    // the entry point is the `<Module>_main` SwiftPM links as `main`; libFuzzer's is never called.

    /// The entry point under the fuzzing flags: runs the tool on the command line's arguments.
    @_cdecl("EmbedExamples_main")
    func embedExamplesMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
        EmbedExamples.main()
        return 0
    }

    /// The fuzzing entry libFuzzer's `main` refers to, so the tool links; never called.
    @_cdecl("LLVMFuzzerTestOneInput")
    func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt { 0 }
#endif
