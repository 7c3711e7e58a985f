import Testing
import UnrollEngine
@testable import UnrollLessons

@Test("Every built-in lesson is valid, runs forward and backward, and its captions name steps that exist",
      arguments: Lesson.builtin.map(\.name))
func builtinLessonRuns(_ name: String) throws {
    let lesson = try #require(Lesson.builtin(named: name))
    #expect(lesson.problems.isEmpty, "\(lesson.problems)")
    let run = lesson.materialize(as: Double.self)
    let trace = try Engine.run(model: run.model, sample: run.sample, options: run.options)
    #expect(trace.loss.isFinite && trace.loss > 0)
    #expect(run.inputLabels.count == trace.columns)
    #expect(run.targetLabels.count == trace.columns)
    for caption in lesson.captions {
        #expect(caption.step >= 0 && caption.step < trace.columns, "caption at step \(caption.step) of \(trace.columns)")
    }
    #expect(Set(Lesson.builtin.map(\.name)).count == Lesson.builtin.count)
}

@Test("A language-model lesson one-hot encodes its words and predicts the next one")
func languageModelEncoding() {
    let lesson = Lesson(name: "t", title: "t", tokens: ["a", "b", "a"])
    #expect(lesson.vocabulary == ["a", "b", "<eos>"])
    #expect(lesson.targetTokens == ["b", "a", "<eos>"])
    let run = lesson.materialize(as: Double.self)
    #expect(run.sample.inputs.map(\.storage) == [[1, 0, 0], [0, 1, 0], [1, 0, 0]])
    #expect(run.sample.targets == .classes([[1], [0], [2]]))
}
