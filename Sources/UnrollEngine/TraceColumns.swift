/// Matrices of one shape, one per step, end to end in one buffer: how a `LayerTrace` stores one field
/// of its steps (docs/engine.md, "Layout in memory").
///
/// Reading an element copies it out as a `Matrix` (O(rows·cols)). A run whose every matrix is zero (the
/// gradients of a forward-only trace) holds no buffer at all.
public struct MatrixRun<T: EngineScalar>: RandomAccessCollection, Sendable {
    /// Rows of every matrix.
    public let rows: Int
    /// Columns of every matrix.
    public let cols: Int
    /// Number of matrices.
    public private(set) var endIndex = 0
    /// Entries of every matrix in order; empty while every matrix is zero.
    public private(set) var storage: [T] = []
    /// Matrices the buffer is reserved for when it is first needed.
    private let capacity: Int

    /// An empty run of `rows × cols` matrices.
    /// - Parameter capacity: How many matrices it will hold: its buffer is reserved for exactly as many.
    public init(rows: Int, cols: Int, capacity: Int = 0) {
        self.rows = rows
        self.cols = cols
        self.capacity = capacity
    }

    /// 0.
    @inlinable public var startIndex: Int { 0 }

    /// The `i`th matrix, copied out of the buffer.
    /// - Complexity: O(rows·cols).
    @inlinable public subscript(i: Int) -> Matrix<T> {
        precondition(i >= 0 && i < endIndex, "MatrixRun index \(i) out of 0..<\(endIndex)")
        let n = rows * cols
        if storage.isEmpty { return Matrix(rows: rows, cols: cols) }
        return Matrix(rows: rows, cols: cols, storage: Array(storage[(i * n)..<((i + 1) * n)]))
    }

    /// Entry `k` (row-major) of the `i`th matrix, without copying the matrix.
    @inlinable public func entry(_ i: Int, _ k: Int) -> T { storage.isEmpty ? 0 : storage[i * rows * cols + k] }

    /// Row `r` of the `i`th matrix, without copying the rest of it.
    /// - Complexity: O(cols).
    @inlinable public func row(_ i: Int, _ r: Int) -> [T] {
        precondition(i >= 0 && i < endIndex && r >= 0 && r < rows, "MatrixRun row \(r) of matrix \(i) out of range")
        let start = (i * rows + r) * cols
        return storage.isEmpty ? [T](repeating: 0, count: cols) : Array(storage[start..<(start + cols)])
    }

    /// Whether every entry of the `i`th matrix is finite, without copying it.
    /// - Complexity: O(rows·cols).
    @inlinable public func isFinite(_ i: Int) -> Bool {
        let n = rows * cols
        return storage.isEmpty || storage[(i * n)..<((i + 1) * n)].allSatisfy(\.isFinite)
    }

    /// Appends a matrix of the run's shape.
    /// - Precondition: `m` is `rows × cols` (the engine records one shape per layer and field).
    /// - Complexity: amortised O(rows·cols).
    public mutating func append(_ m: Matrix<T>) {
        precondition(m.rows == rows && m.cols == cols, "MatrixRun of \(rows)x\(cols) given \(m.rows)x\(m.cols)")
        if storage.isEmpty && m.storage.allSatisfy({ $0 == 0 && $0.sign == .plus }) {
            endIndex += 1
            return
        }
        if storage.isEmpty && rows * cols > 0 {
            storage.reserveCapacity(Swift.max(capacity, endIndex + 1) * rows * cols)
            storage.append(contentsOf: repeatElement(0, count: endIndex * rows * cols))
        }
        storage.append(contentsOf: m.storage)
        endIndex += 1
    }

    /// The same run with every entry converted to another precision.
    /// - Complexity: O(entries).
    public func converted<U: EngineScalar>(to _: U.Type = U.self) -> MatrixRun<U> {
        var out = MatrixRun<U>(rows: rows, cols: cols)
        out.endIndex = endIndex
        out.storage = storage.map { U($0) }
        return out
    }
}

/// One optional matrix per column, any shape, end to end in one buffer: how a `Trace` stores its
/// per-column values (inputs, outputs, their gradients, probabilities, fed-back values).
///
/// Reading a slot copies its matrix out (O(rows·cols)); an all-zero matrix is kept as its shape alone.
public struct MatrixSlots<T: EngineScalar>: RandomAccessCollection, ExpressibleByArrayLiteral, Sendable {
    /// Where one slot's matrix lies: `rows < 0` for none, `offset < 0` for a zero matrix.
    @usableFromInline struct Slot: Sendable {
        @usableFromInline var offset: Int
        @usableFromInline var rows: Int32
        @usableFromInline var cols: Int32
    }

    @usableFromInline var slots: [Slot]
    /// Entries of every stored matrix, in slot order.
    public private(set) var storage: [T]

    /// Slots holding `matrices`, copied into one buffer of exactly their size.
    /// - Complexity: O(total entries).
    public init(_ matrices: [Matrix<T>?]) {
        var stored = [Bool](repeating: false, count: matrices.count)
        var total = 0
        for (i, m) in matrices.enumerated() {
            if let m, !m.storage.allSatisfy({ $0 == 0 && $0.sign == .plus }) {
                stored[i] = true
                total += m.count
            }
        }
        var storage = [T]()
        storage.reserveCapacity(total)
        var slots = [Slot]()
        slots.reserveCapacity(matrices.count)
        for (i, m) in matrices.enumerated() {
            guard let m else {
                slots.append(Slot(offset: -1, rows: -1, cols: -1))
                continue
            }
            slots.append(Slot(offset: stored[i] ? storage.count : -1, rows: Int32(m.rows), cols: Int32(m.cols)))
            if stored[i] { storage.append(contentsOf: m.storage) }
        }
        self.slots = slots
        self.storage = storage
    }

    /// Slots holding the given matrices.
    public init(arrayLiteral elements: Matrix<T>?...) { self.init(elements) }

    /// 0.
    @inlinable public var startIndex: Int { 0 }
    /// Number of slots.
    @inlinable public var endIndex: Int { slots.count }

    /// The matrix in slot `i`, copied out, or nil.
    /// - Complexity: O(rows·cols).
    @inlinable public subscript(i: Int) -> Matrix<T>? {
        let s = slots[i]
        guard s.rows >= 0 else { return nil }
        let rows = Int(s.rows), cols = Int(s.cols)
        guard s.offset >= 0 else { return Matrix(rows: rows, cols: cols) }
        return Matrix(rows: rows, cols: cols, storage: Array(storage[s.offset..<(s.offset + rows * cols)]))
    }

    /// Whether slot `i` holds a matrix.
    @inlinable public func has(_ i: Int) -> Bool { slots[i].rows >= 0 }

    /// The same slots with every entry converted to another precision.
    /// - Complexity: O(entries).
    public func converted<U: EngineScalar>(to _: U.Type = U.self) -> MatrixSlots<U> {
        var out = MatrixSlots<U>([])
        out.slots = slots.map { MatrixSlots<U>.Slot(offset: $0.offset, rows: $0.rows, cols: $0.cols) }
        out.storage = storage.map { U($0) }
        return out
    }
}

/// The steps of one layer, stored by field: one `MatrixRun` per matrix field and one array per scalar.
///
/// A collection of `StepTrace` values: `steps[i]` copies step `i` out (O(G·B·H)); the fields
/// (`steps.hidden[i]`, `steps.jacobianNorm[i]`) read one value without building the rest.
public struct StepColumns<T: EngineScalar>: RandomAccessCollection, Sendable {
    /// The column of the first step; step `i` is at column `firstColumn + i`.
    public private(set) var firstColumn = 0
    /// Pre-activations, `B × G·H` each.
    public private(set) var preactivation: MatrixRun<T>
    /// Gate activations, one run per gate in `CellKind.gateNames` order.
    public private(set) var gates: [MatrixRun<T>]
    /// Hidden states.
    public private(set) var hidden: MatrixRun<T>
    /// Cell states (LSTM).
    public private(set) var cell: MatrixRun<T>?
    /// ∂L/∂h_t.
    public private(set) var hiddenGradient: MatrixRun<T>
    /// ∂L/∂c_t (LSTM).
    public private(set) var cellGradient: MatrixRun<T>?
    /// `StepTrace.hiddenGradientNorm` per step.
    public private(set) var hiddenGradientNorm: [Double] = []
    /// `StepTrace.jacobianNorm` per step.
    public private(set) var jacobianNorm: [Double] = []
    /// `StepTrace.cellJacobianNorm` per step.
    public private(set) var cellJacobianNorm: [Double] = []
    /// `StepTrace.lastLossGradientNorm` per step.
    public private(set) var lastLossGradientNorm: [Double] = []
    /// `StepTrace.focusLossGradientNorm` per step.
    public private(set) var focusLossGradientNorm: [Double] = []
    /// `StepTrace.focusLossCellGradientNorm` per step.
    public private(set) var focusLossCellGradientNorm: [Double] = []

    /// No steps, with room reserved for `capacity` of the shape of `first` (whose matrix shapes, gate count
    /// and cell every later step shares).
    public init(shapedLike first: StepTrace<T>?, capacity: Int) {
        func run(_ m: Matrix<T>) -> MatrixRun<T> { MatrixRun(rows: m.rows, cols: m.cols, capacity: capacity) }
        let none = MatrixRun<T>(rows: 0, cols: 0)
        firstColumn = first?.column ?? 0
        preactivation = first.map { run($0.preactivation) } ?? none
        gates = first?.gates.map(run) ?? []
        hidden = first.map { run($0.hidden) } ?? none
        cell = first?.cell.map(run)
        hiddenGradient = first.map { run($0.hiddenGradient) } ?? none
        cellGradient = first?.cellGradient.map(run)
        for k in [
            \Self.hiddenGradientNorm, \.jacobianNorm, \.cellJacobianNorm, \.lastLossGradientNorm,
            \.focusLossGradientNorm, \.focusLossCellGradientNorm
        ] as [WritableKeyPath<Self, [Double]>] {
            self[keyPath: k].reserveCapacity(capacity)
        }
    }

    /// The given steps, stored by field.
    /// - Precondition: consecutive columns, one shape (see `append`).
    public init(_ steps: [StepTrace<T>]) {
        self.init(shapedLike: steps.first, capacity: steps.count)
        steps.forEach { append($0) }
    }

    /// 0.
    @inlinable public var startIndex: Int { 0 }
    /// Number of steps.
    @inlinable public var endIndex: Int { hidden.endIndex }

    /// Step `i`, copied out of the columns.
    /// - Complexity: O(G·B·H).
    public subscript(i: Int) -> StepTrace<T> { step(i) }

    /// Step `i`, copied out of the columns (what the subscript returns).
    /// - Complexity: O(G·B·H).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func step(_ i: Int) -> StepTrace<T> {
        StepTrace(
            column: firstColumn + i, preactivation: preactivation[i], gates: gates.map { $0[i] },
            hidden: hidden[i], cell: cell?[i], hiddenGradient: hiddenGradient[i],
            hiddenGradientNorm: hiddenGradientNorm[i], cellGradient: cellGradient?[i],
            jacobianNorm: jacobianNorm[i], cellJacobianNorm: cellJacobianNorm[i],
            lastLossGradientNorm: lastLossGradientNorm[i], focusLossGradientNorm: focusLossGradientNorm[i],
            focusLossCellGradientNorm: focusLossCellGradientNorm[i])
    }

    /// Appends a step.
    /// - Precondition: its column follows the last step's, its shapes, gate count and cell match the first step's.
    /// - Complexity: amortised O(G·B·H).
    public mutating func append(_ s: StepTrace<T>) {
        if isEmpty { firstColumn = s.column }
        precondition(s.column == firstColumn + count, "step at column \(s.column), expected \(firstColumn + count)")
        precondition(
            s.gates.count == gates.count && (s.cell == nil) == (cell == nil)
                && (s.cellGradient == nil) == (cellGradient == nil), "step shaped unlike the layer's first")
        preactivation.append(s.preactivation)
        for (g, m) in zip(gates.indices, s.gates) { gates[g].append(m) }
        hidden.append(s.hidden)
        if let c = s.cell { cell?.append(c) }
        hiddenGradient.append(s.hiddenGradient)
        if let c = s.cellGradient { cellGradient?.append(c) }
        hiddenGradientNorm.append(s.hiddenGradientNorm)
        jacobianNorm.append(s.jacobianNorm)
        cellJacobianNorm.append(s.cellJacobianNorm)
        lastLossGradientNorm.append(s.lastLossGradientNorm)
        focusLossGradientNorm.append(s.focusLossGradientNorm)
        focusLossCellGradientNorm.append(s.focusLossCellGradientNorm)
    }

    /// Every matrix run of the steps (what `TraceMemory` counts).
    public var matrixRuns: [MatrixRun<T>] {
        [preactivation, hidden, hiddenGradient] + gates + [cell, cellGradient].compactMap { $0 }
    }

    /// The same steps with every value converted to another precision.
    /// - Complexity: O(entries).
    public func converted<U: EngineScalar>(to _: U.Type = U.self) -> StepColumns<U> {
        var out = StepColumns<U>([])
        out.firstColumn = firstColumn
        out.preactivation = preactivation.converted()
        out.gates = gates.map { $0.converted() }
        out.hidden = hidden.converted()
        out.cell = cell?.converted()
        out.hiddenGradient = hiddenGradient.converted()
        out.cellGradient = cellGradient?.converted()
        out.hiddenGradientNorm = hiddenGradientNorm
        out.jacobianNorm = jacobianNorm
        out.cellJacobianNorm = cellJacobianNorm
        out.lastLossGradientNorm = lastLossGradientNorm
        out.focusLossGradientNorm = focusLossGradientNorm
        out.focusLossCellGradientNorm = focusLossCellGradientNorm
        return out
    }
}

extension MatrixRun: Equatable {
    /// Whether both hold the same matrices in the same order (however each stores them).
    /// - Complexity: O(entries).
    public static func == (a: MatrixRun, b: MatrixRun) -> Bool { a.elementsEqual(b) }
}

extension MatrixSlots: Equatable {
    /// Whether both hold the same matrices in the same slots (however each stores them).
    /// - Complexity: O(entries).
    public static func == (a: MatrixSlots, b: MatrixSlots) -> Bool { a.elementsEqual(b) }

    /// Whether the slots hold exactly `b`'s matrices (`Gradients.outputs` against `Trace.outputs`).
    /// - Complexity: O(entries).
    public static func == (a: MatrixSlots, b: [Matrix<T>?]) -> Bool { a.elementsEqual(b) }

    /// Whether `a` holds exactly the slots' matrices.
    /// - Complexity: O(entries).
    public static func == (a: [Matrix<T>?], b: MatrixSlots) -> Bool { b.elementsEqual(a) }
}
