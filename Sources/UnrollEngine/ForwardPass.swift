/// A run stopped after its forward pass: the forward values are known, no backward sweep has run.
///
/// `Engine.forward(model:sample:options:)` makes one; ``trace`` is what the screen can show at once (every
/// value, output, probability and loss as the whole trace will hold them, gradients zero and gradient norms
/// NaN), and ``backward()`` finishes the run into the trace `Engine.run` returns. Whoever holds the pass decides
/// whether to carry it on (the lab worker drops one a newer change has superseded), so the stages need no
/// callback. The pass holds the tape by reference: call ``backward()`` once.
public struct ForwardPass<T: EngineScalar> {
    /// The unrolled graph, its tape holding the forward values.
    let unroller: Unroller<T>
    /// The total loss's variable, where the backward sweep starts.
    let total: Tape<T>.Variable
    /// The model run.
    let model: Model<T>
    /// The options of the run.
    let options: RunOptions
    /// The one-step Jacobian norms by hidden state id (empty when not recorded).
    let jacobianNorms: [Int: Double]

    /// The trace of the forward pass alone (``Trace/hasGradients`` false).
    /// - Complexity: copies every forward value once; the gradient buffers are zeros shared by shape.
    public var trace: Trace<T> { forwardTrace() }

    /// ``trace``, specialized for Float and Double as the engine's entry points are.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func forwardTrace() -> Trace<T> { Engine.forwardTrace(self) }

    /// Runs the backward sweeps (the loss's, and the diagnostic ones) and returns the whole trace, the same as
    /// `Engine.run` would have.
    /// - Precondition: called once per pass (the sweeps accumulate into the pass's tape).
    /// - Complexity: O(T·L·B·H·(H+I)) through BLAS, plus one diagnostic sweep per loss the trace records apart.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func backward() -> Trace<T> {
        guard let trace = Engine.backward(self, cancellation: nil) else {
            preconditionFailure("ForwardPass.backward: stopped without a cancellation")
        }
        return trace
    }

    /// ``backward()``, checking `cancellation` at every step of every sweep.
    /// - Throws: `CancellationError` when `cancellation` stops the sweeps (the pass is then spent).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func backward(cancellation: Cancellation) throws -> Trace<T> {
        guard let trace = Engine.backward(self, cancellation: cancellation) else { throw CancellationError() }
        return trace
    }
}
