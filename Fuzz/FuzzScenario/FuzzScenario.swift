import Foundation

@testable import UnrollEngine
@testable import UnrollLessons

/// libFuzzer entry point: the input is a scenario file's bytes (and, first, a text to train on).
///
/// It goes through the same steps as `unroll check FILE`: the byte checks of the file reader
/// (size, UTF-8), the YAML parser and the scenario reader; a lesson that loads and is small
/// (under `runLimit` by the memory estimate) is also run through the engine, so the checks the
/// reader and `Lesson.problems` make are tested against the engine's own preconditions. Any
/// trap, crash or sanitizer report is a bug; a thrown `ScenarioError` or `EngineError` is not.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzScenario(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(bytes: bytes, count: count)
    // The same bytes as a text to train on (`training.text`, `unroll train --text`): refused or a corpus.
    _ = try? CharacterText.corpus(of: data, path: "fuzz.txt")
    do {
        let text = try ScenarioFile.text(of: data, path: "fuzz.yaml")
        let lesson = try Lesson(scenario: text, path: "fuzz.yaml")
        if lesson.memoryEstimate <= runLimit {
            _ = try? lesson.trace(recordJacobians: false)
        }
    } catch {
        // A clear error is the expected outcome for nearly every input.
        _ = error.description
    }
    return 0
}

/// Lessons estimated above this many bytes are only parsed, not run (to keep executions fast).
let runLimit = 4 << 20
