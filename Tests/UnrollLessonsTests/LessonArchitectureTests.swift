import Testing
import UnrollEngine
import UnrollTraining

@testable import UnrollLessons

@Test("A lesson's spec is its architecture with the vocabulary's sizes")
func lessonSpecSizes() {
    var lesson = Lesson(
        name: "x", title: "x", cell: .gru, hiddenSizes: [5, 3], conditioningSize: 2,
        tokens: ["a", "b", "a"])
    lesson.skip = 4
    #expect(lesson.architecture == Architecture(cell: .gru, hiddenSizes: [5, 3], skip: 4, conditioningSize: 2))
    // Vocabulary: a, b, <eos>.
    #expect(lesson.spec == ModelSpec(architecture: lesson.architecture, inputSize: 3, outputSize: 3))
}

@Test("Encoder–decoder: the decoder reads the vocabulary, and the context, not a drawn vector, conditions it")
func lessonSpecEncoderDecoder() {
    let lesson = Lesson(
        name: "x", title: "x", configuration: .encoderDecoder, conditioningSize: 2,
        conditioning: .initialState, tokens: ["a", "b"], targets: ["c"])
    // Vocabulary: a, b, c, <eos>.
    let expected = Architecture(hiddenSizes: [6], configuration: .encoderDecoder, conditioning: .initialState)
    #expect(lesson.spec == ModelSpec(architecture: expected, inputSize: 4, outputSize: 4, decoderInputSize: 4))
}

@Test("A training lesson's spec keeps the architecture but takes the task's sizes and configuration")
func lessonSpecTraining() {
    let lesson = Lesson(
        name: "x", title: "x", cell: .lstm, hiddenSizes: [8], skip: 3, feedback: .output,
        conditioningSize: 2, tokens: [], training: TrainingPlan(task: TrainingTask(kind: .adding)))
    let expected = Architecture(cell: .lstm, hiddenSizes: [8], skip: 3, configuration: .manyToOne)
    // The adding problem reads (value, marker) pairs and answers one number.
    #expect(lesson.spec == ModelSpec(architecture: expected, inputSize: 2, outputSize: 1))
}

@Test("The model section is read into one Architecture; precision stays the lesson's")
func readerReadsArchitecture() throws {
    let lesson = try Lesson(
        scenario: """
            title: t
            model: {cell: lstm, layers: [4, 2], bidirectional: true, skip: 2, deep: {output: 1},
                    configuration: many-to-one, precision: float32, conditioning: {size: 3, mode: both}}
            input: {tokens: "a b", targets: [c]}
            """, path: "t.yaml")
    #expect(
        lesson.architecture
            == Architecture(
                cell: .lstm, hiddenSizes: [4, 2], bidirectional: true, skip: 2, deep: DeepTransition(output: 1),
                configuration: .manyToOne, conditioningSize: 3, conditioning: .both))
    #expect(lesson.precision == .float32)
}
