import Testing
import UnrollEngine

@testable import UnrollLessons

// The numbers of examples/truncated.yaml's narration and docs/labs/truncated.md's answers.
// ∂L_t/∂h_s is read from a trace whose loss is taken at step t alone.

/// The truncated lesson with chunks of `k` (nil: full BPTT) and the loss at 1-based step `loss` only (nil: every step).
private func trace(k: Int?, loss: Int? = nil) throws -> Trace<Double> {
    var lesson = try #require(Lesson.builtin(named: "truncated"))
    lesson.truncation = k
    if let loss { lesson.lossSteps = .only([loss - 1]) }
    return try lesson.trace().1
}

/// ‖∂L_t/∂h_s‖ for 1-based steps t (the loss) and s (the state).
private func norm(k: Int?, loss t: Int, state s: Int) throws -> Double {
    try trace(k: k, loss: t).layers[0].steps[s - 1].hiddenGradientNorm
}

@Test("truncated: chunks 1-4, 5-8, 9-10; 'France' is read at step 5 and 'French' predicted at step 9")
func truncatedChunks() throws {
    let lesson = try #require(Lesson.builtin(named: "truncated"))
    #expect(lesson.truncation == 4 && lesson.tokens.count == 10)
    #expect(try trace(k: 4).truncationCuts == [4, 8]) // columns 4 and 8: before steps 5 and 9
    #expect(lesson.tokens[4] == "France" && lesson.targetTokens[8] == "French")
}

@Test("truncated: the loss at step t reaches h_s exactly when s ≤ t in the same chunk (full BPTT: whenever s ≤ t)")
func truncatedWhoGetsGradient() throws {
    let chunk = { (step: Int) in (step - 1) / 4 }
    for t in 1...10 {
        let cut = try trace(k: 4, loss: t).layers[0].steps.map(\.hiddenGradientNorm)
        let full = try trace(k: nil, loss: t).layers[0].steps.map(\.hiddenGradientNorm)
        for s in 1...10 {
            #expect(
                (cut[s - 1] > 0) == (s <= t && chunk(s) == chunk(t)), "∂L\(t)/∂h\(s) = \(cut[s - 1]) with chunks of 4")
            #expect((full[s - 1] > 0) == (s <= t), "∂L\(t)/∂h\(s) = \(full[s - 1]) with full BPTT")
        }
    }
}

@Test("truncated: ∂L9/∂h5 is exactly 0 with chunks of 4 (and 5 to 8), 0.03 with full BPTT; chunks of 9 keep it")
func truncatedFranceFrench() throws {
    #expect(try norm(k: 4, loss: 9, state: 5) == 0)
    let full = try norm(k: nil, loss: 9, state: 5)
    #expect(full >= 0.025 && full < 0.035, "‖∂L9/∂h5‖ = \(full) with full BPTT") // "0.03"
    #expect(try trace(k: 4, loss: 9).inputGradientNorms[4] == 0) // nor does x5 ('France') get any
    for k in 5...8 { #expect(try norm(k: k, loss: 9, state: 5) == 0, "chunks of \(k)") }
    #expect(abs(try norm(k: 9, loss: 9, state: 5) - full) < 1e-12) // 5 and 9 share chunk 1-9
}

@Test("truncated: chunk 2's ∂L/∂h5..h8 is the sum of the losses at steps 5-8 alone; chunk 3's losses add nothing")
func truncatedChunkTwoOwnLosses() throws {
    let total = try trace(k: 4).layers[0].steps
    var sum = (4..<8).map { _ in Matrix<Double>(rows: 1, cols: total[0].hiddenGradient.cols) }
    for t in 5...8 {
        let part = try trace(k: 4, loss: t).layers[0].steps
        for s in 4..<8 { BLAS.axpy(1, part[s].hiddenGradient, &sum[s - 4]) }
    }
    for s in 4..<8 {
        var d = total[s].hiddenGradient
        BLAS.axpy(-1, sum[s - 4], &d)
        #expect(d.norm <= 1e-12 * total[s].hiddenGradient.norm, "h\(s + 1)")
    }
    // With full BPTT the losses at steps 9 and 10 add to ∂L/∂h8: the two differ.
    let full = try trace(k: nil).layers[0].steps
    var d = full[7].hiddenGradient
    BLAS.axpy(-1, total[7].hiddenGradient, &d)
    #expect(d.norm > 1e-3)
}
