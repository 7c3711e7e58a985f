import Testing
import UnrollEngine

@testable import UnrollLessons

@Test(
    "Memory sizes parse with binary units; nonsense, zero and overflow are refused",
    arguments: [
        ("2GiB", 2 << 30), ("512M", 512 << 20), ("1.5 GiB", 3 << 29), ("100000", 100_000), ("64kb", 64 << 10),
        ("1t", 1 << 40), ("2g", 2 << 30)
    ] as [(String, Int)])
func memorySizes(_ text: String, _ bytes: Int) {
    #expect(MemoryLimit(parsing: text)?.bytes == bytes)
}

@Test("Not memory sizes", arguments: ["", "abc", "0", "-1GiB", "2 PiB", "1e30", "nan", "GiB", "0.1"])
func notMemorySizes(_ text: String) {
    #expect(MemoryLimit(parsing: text) == nil)
}

@Test("The flag wins over UNROLL_MEMORY_LIMIT, which wins over 2 GiB; a bad value names its source")
func memoryLimitResolution() throws {
    #expect(try MemoryLimit.resolve(flag: nil, environment: [:]) == .standard)
    #expect(MemoryLimit.standard.bytes == 2 << 30)
    #expect(try MemoryLimit.resolve(flag: nil, environment: ["UNROLL_MEMORY_LIMIT": "1GiB"]).bytes == 1 << 30)
    #expect(try MemoryLimit.resolve(flag: "3G", environment: ["UNROLL_MEMORY_LIMIT": "1GiB"]).bytes == 3 << 30)
    #expect(throws: MemoryLimitError.invalid(source: "UNROLL_MEMORY_LIMIT", value: "lots")) {
        try MemoryLimit.resolve(flag: nil, environment: ["UNROLL_MEMORY_LIMIT": "lots"])
    }
    #expect(throws: MemoryLimitError.invalid(source: "--memory-limit", value: "x")) {
        try MemoryLimit.resolve(flag: "x")
    }
}

@Test(
    "Sizes print in the largest binary unit that reads well",
    arguments: [
        (100, "100 bytes"), (2048, "2 KiB"), (3 << 29, "1.5 GiB"), (2 << 30, "2 GiB"), (Int.max, "more than 8 EiB")
    ] as [(Int, String)])
func memoryFormat(_ bytes: Int, _ text: String) {
    #expect(MemoryLimit.format(bytes) == text)
}

@Test("The estimate grows with steps, width and gates; the largest lesson a file allows saturates, not overflows")
func memoryEstimate() throws {
    let small = Lesson(name: "s", title: "s", hiddenSizes: [8], tokens: ["a", "b"])
    var longer = small
    longer.tokens = Array(repeating: "a", count: 200)
    var lstm = longer
    lstm.cell = .lstm
    #expect(small.memoryEstimate < longer.memoryEstimate && longer.memoryEstimate < lstm.memoryEstimate)
    #expect(small.spec.parameterCount == Model<Double>(spec: small.spec, seed: 1).parameterCount)
    let huge = Lesson(
        name: "h", title: "h", cell: .lstm, hiddenSizes: Array(repeating: 4096, count: 16), bidirectional: true,
        deep: DeepTransition(input: 16, transition: 16, output: 16), tokens: (0..<10_000).map { "w\($0)" })
    #expect(huge.memoryEstimate > 1 << 40)
    let error = try #require(throws: MemoryLimitError.self) { try MemoryLimit.standard.check(huge) }
    #expect(error.description.hasPrefix("lesson 'h' would need about "))
    #expect(error.description.contains("more than the memory limit of 2 GiB"))
    #expect(throws: Never.self) { try MemoryLimit.standard.check(.defaultLesson, anyCell: true) }
}

@Test("Every built-in lesson is well under the default limit (under 256 MiB), with any cell")
func builtinLessonsFit() throws {
    for lesson in Lesson.builtin {
        #expect(throws: Never.self) { try MemoryLimit(bytes: 256 << 20).check(lesson, anyCell: true) }
    }
}

@Test("A training lesson is estimated for one mini-batch of its task's sequences")
func trainingEstimate() throws {
    let lesson = try #require(Lesson.builtin.first { $0.training != nil })
    let plan = try #require(lesson.training)
    #expect(plan.settings.batchSize > 1)
    #expect(
        lesson.memoryEstimate == lesson.spec.estimatedBytes(steps: plan.task.length, batch: plan.settings.batchSize))
    #expect(lesson.memoryEstimate > lesson.spec.estimatedBytes(steps: plan.task.length, batch: 1))
}
