import COpenBLAS

/// Memory of a Trace: the bytes of the numbers it holds, against what malloc handed out for it
/// (`unroll bench` reports both, docs/performance.md).
public enum TraceMemory {
    /// Bytes currently allocated by malloc in this process (glibc `mallinfo2().uordblks`, through the COpenBLAS
    /// shim; 0 where glibc is not the allocator).
    public static func allocatedBytes() -> Int {
        Int(unroll_malloc_in_use())
    }

    /// The bytes of every number a trace holds: the entries of its column buffers (`MatrixSlots`, `MatrixRun`;
    /// an all-zero matrix kept as its shape alone holds none), of its other matrices (a buffer shared by
    /// several, such as unclipped gradients and gradients, counted once) and the per-step and per-column scalars.
    ///
    /// - Parameter t: The trace.
    /// - Returns: Bytes; cost O(number of matrices and layers).
    public static func numberBytes<T>(_ t: Trace<T>) -> Int {
        var seen = Set<UnsafeRawPointer>()
        var count = 0
        func add(_ m: Matrix<T>?) {
            guard let m, let p = m.storage.withUnsafeBufferPointer({ $0.baseAddress }) else { return }
            if seen.insert(UnsafeRawPointer(p)).inserted { count += m.count }
        }
        count += [t.inputs, t.inputGradients, t.outputs, t.outputGradients, t.probabilities, t.fedBack]
            .reduce(0) { $0 + $1.storage.count }
        [t.conditioning, t.conditioningGradient, t.context].forEach(add)
        (t.parameters + t.gradients + t.clippedGradients).forEach(add)
        count += t.losses.count
        var scalars = (t.inputGradientNorms + t.outputGradientNorms).count { $0 != nil }
        for l in t.layers {
            [l.initialHidden, l.initialHiddenGradient, l.initialCell, l.initialCellGradient].forEach(add)
            count += l.steps.matrixRuns.reduce(0) { $0 + $1.storage.count }
            // jacobianNorm, cellJacobianNorm, lastLossGradientNorm, hiddenGradientNorm, the two focus norms, the
            // W_hh term and sum norms (Double)
            scalars += 8 * l.steps.count
        }
        return count * MemoryLayout<T>.size + scalars * MemoryLayout<Double>.size
    }
}
