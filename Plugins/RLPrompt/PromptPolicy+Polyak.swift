extension PromptPolicy {
    /// Moves this (target) network toward `online` by Polyak averaging:
    /// `theta' <- (1 - rate) * theta' + rate * theta`, as the reference code does before every step.
    public mutating func polyakUpdate(toward online: PromptPolicy, rate: Double) {
        precondition(online.shape == shape, "Polyak averaging needs networks of the same shape")
        let keep = 1 - rate
        parameters.withUnsafeMutableBufferPointer { target in
            online.parameters.withUnsafeBufferPointer { source in
                for i in 0..<target.count { target[i] = keep * target[i] + rate * source[i] }
            }
        }
    }
}
