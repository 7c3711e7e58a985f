import Testing

@testable import UnrollEngine

/// The Trace's column storage: `MatrixRun`, `MatrixSlots`, `StepColumns` and what `TraceMemory` counts of them.
@Suite("Trace columns")
struct TraceColumnsTests {
    static let a = Matrix<Double>(rows: 2, cols: 3, storage: [1, -2, 3, 4.5, -0.0, 6])
    static let b = Matrix<Double>(rows: 2, cols: 3, storage: [-7, 8, 9, 10, 11, -12])
    static let zero = Matrix<Double>(rows: 2, cols: 3)

    @Test("A run gives back every matrix appended, zeros before the first non-zero one included, -0 kept")
    func runRoundTrip() throws {
        var run = MatrixRun<Double>(rows: 2, cols: 3, capacity: 4)
        for m in [Self.zero, Self.a, Self.zero, Self.b] { run.append(m) }
        #expect(Array(run) == [Self.zero, Self.a, Self.zero, Self.b])
        #expect(run.storage.count == 24)
        #expect(run.row(3, 1) == [10, 11, -12])
        #expect(run.entry(1, 4).sign == .minus)
        #expect(run.isFinite(1))
    }

    @Test("A run of zero matrices holds no buffer and reads as zeros")
    func zeroRun() {
        var run = MatrixRun<Double>(rows: 2, cols: 3, capacity: 2)
        run.append(Self.zero)
        run.append(Self.zero)
        #expect(run.count == 2 && run.storage.isEmpty)
        #expect(run[1] == Self.zero && run.row(0, 1) == [0, 0, 0])
    }

    @Test("A non-finite entry is found in its matrix only")
    func runFinite() {
        var run = MatrixRun<Double>(rows: 1, cols: 2)
        run.append(Matrix(row: [1, 2]))
        run.append(Matrix(row: [.infinity, 2]))
        #expect(run.isFinite(0) && !run.isFinite(1))
    }

    @Test("Slots keep nil, shapes and values; a zero matrix costs no entries")
    func slots() throws {
        let c = Matrix<Double>(rows: 1, cols: 2, storage: [0.5, -0.25])
        let given: [Matrix<Double>?] = [nil, Self.a, Matrix(rows: 1, cols: 4), c]
        let slots = MatrixSlots(given)
        #expect(slots == given)
        #expect(slots.count == 4 && !slots.has(0) && slots.has(2))
        #expect(slots.storage.count == 8)
        let d = try #require(slots[2])
        #expect(d.rows == 1 && d.cols == 4 && d.storage == [0, 0, 0, 0])
        #expect(slots.converted(to: Float.self)[3] == Matrix<Float>(rows: 1, cols: 2, storage: [0.5, -0.25]))
    }

    @Test("Steps stored by field come back as the steps given, column by column")
    func stepColumns() throws {
        func step(_ column: Int, _ m: Matrix<Double>) -> StepTrace<Double> {
            StepTrace(
                column: column, preactivation: m, gates: [m, Self.b], hidden: Self.b, cell: m,
                hiddenGradient: Self.zero, hiddenGradientNorm: Double(column), cellGradient: Self.a,
                jacobianNorm: 2, cellJacobianNorm: .nan, lastLossGradientNorm: 0.5,
                focusLossGradientNorm: 3, focusLossCellGradientNorm: 4)
        }
        let given = [step(5, Self.a), step(6, Self.zero), step(7, Self.b)]
        let steps = StepColumns(given)
        #expect(steps.count == 3 && steps.firstColumn == 5)
        for (s, g) in zip(steps, given) {
            #expect(s.column == g.column && s.preactivation == g.preactivation && s.gates == g.gates)
            #expect(s.hidden == g.hidden && s.cell == g.cell && s.hiddenGradient == g.hiddenGradient)
            #expect(s.cellGradient == g.cellGradient && s.hiddenGradientNorm == g.hiddenGradientNorm)
            #expect(s.jacobianNorm == 2 && s.cellJacobianNorm.isNaN && s.lastLossGradientNorm == 0.5)
            #expect(s.focusLossGradientNorm == 3 && s.focusLossCellGradientNorm == 4)
        }
        #expect(steps.hiddenGradientNorm == [5, 6, 7])
        // Six runs of three 2x3 matrices (preactivation and the first gate keep their zero step once a non-zero
        // one came first): 6 · 18; ∂L/∂h is zero at every step and holds no buffer.
        #expect(steps.matrixRuns.reduce(0) { $0 + $1.storage.count } == 108)
        #expect(steps.hiddenGradient.storage.isEmpty)
    }

    @Test("TraceMemory counts every number of an RNN trace once", arguments: [false, true])
    func numberBytes(forwardOnly: Bool) throws {
        // RNN, I = 3, H = 4, O = 2, B = 1, 5 steps, MSE at every step.
        let spec = ModelSpec(cell: .rnn, inputSize: 3, hiddenSizes: [4], outputSize: 2)
        let model = Model<Double>(spec: spec, seed: 1)
        let sample = randomSample(spec, steps: 5, batch: 1, as: Double.self)
        let pass = try Engine.forward(model: model, sample: sample)
        let t = forwardOnly ? pass.trace : pass.backward()
        // Parameters 12 + 16 + 4 + 4 + 8 + 2 = 46. Their gradients: 46 more (clipped ones share their buffers);
        // in the forward-only trace zero buffers shared by shape, 4x3 4x4 1x4 2x4 1x2: 42.
        let parameters = 46 + (forwardOnly ? 42 : 46)
        // Per step: x 3, y 2, h 4, preactivation 4; with gradients also ∂x 3, ∂y 2, ∂h 4 (zero ones hold none).
        let perStep = forwardOnly ? 13 : 22
        // h_0 4 and ∂L/∂h_0 4 (forward-only: the shared 1x4 zero buffer, counted already); a loss slot per column.
        let initial = forwardOnly ? 4 : 8
        // Six norms per step and the two of the ∂L/∂W_hh term and sum, ‖∂x‖ and ‖∂y‖ per column (NaN, not nil, in
        // the forward-only trace).
        let scalars = 5 * 8 + 5 + 5
        let expected = (parameters + 5 * perStep + 5 + initial + scalars) * 8
        #expect(TraceMemory.numberBytes(t) == expected)
    }
}
