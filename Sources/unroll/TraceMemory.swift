import COpenBLAS
import UnrollEngine

/// Memory of a Trace: the bytes of the numbers it holds, against what malloc handed out for it.
enum TraceMemory {
    /// Bytes currently allocated by malloc in this process (glibc `mallinfo2().uordblks`, through the COpenBLAS shim; 0 elsewhere).
    static func allocatedBytes() -> Int {
        Int(unroll_malloc_in_use())
    }

    /// The bytes of every number a trace holds (matrix entries and per-step scalars).
    static func numberBytes<T>(_ t: Trace<T>) -> Int {
        func n(_ m: Matrix<T>?) -> Int { m?.count ?? 0 }
        var count = 0
        for m in t.inputs + t.inputGradients + t.outputs + t.outputGradients { count += n(m) }
        count += n(t.conditioning) + n(t.conditioningGradient) + n(t.context) + t.losses.count
        for m in t.parameters + t.gradients + t.clippedGradients { count += m.count }
        var scalars = 0
        for l in t.layers {
            count += n(l.initialHidden) + n(l.initialHiddenGradient) + n(l.initialCell) + n(l.initialCellGradient)
            for s in l.steps {
                count += s.preactivation.count + s.gates.reduce(0) { $0 + $1.count } + s.hidden.count + n(s.cell)
                    + s.hiddenGradient.count + n(s.cellGradient)
                scalars += 3  // jacobianNorm, cellJacobianNorm, lastLossGradientNorm (Double)
            }
        }
        return count * MemoryLayout<T>.size + scalars * MemoryLayout<Double>.size
    }
}
