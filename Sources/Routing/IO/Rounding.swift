/// How a VRPLIB file's real-valued data become the solver's integers, exactly as PyVRP's
/// `read(path, round_func=...)` converts them (numpy semantics: `round` is half-to-even,
/// `trunc` and `dimacs` truncate toward zero).
///
/// Scaled: distances and durations, coordinates, demands, capacities, service times, time
/// windows, release times, prizes, maximum distances and durations, fixed costs. Left as
/// they are: unit distance costs (so that `unit * distance` is not scaled twice) and the
/// maximum number of reloads.
public enum Rounding: String, Sendable, CaseIterable {
    /// Nearest integer (ties to even).
    case round
    /// Drop the fraction.
    case trunc
    /// Times 10, then drop the fraction (DIMACS challenge convention).
    case dimacs
    /// Times 1000, then nearest integer.
    case exact
    /// No conversion: every value must already be an integer.
    case none

    /// Converts one value; `field` names it in the error when `none` meets a fraction or
    /// the value does not fit.
    public func apply(_ x: Double, field: String) throws -> Int64 {
        let v: Double
        switch self {
        case .round: v = x.rounded(.toNearestOrEven)
        case .trunc: v = x.rounded(.towardZero)
        case .dimacs: v = (10 * x).rounded(.towardZero)
        case .exact: v = (1000 * x).rounded(.toNearestOrEven)
        case .none:
            guard x == x.rounded() else {
                throw ProblemError.invalid(field: field, "\(x) is not an integer (choose a rounding other than 'none')")
            }
            v = x
        }
        guard v.isFinite, abs(v) < 9.2e18 else { throw ProblemError.invalid(field: field, "\(x) is out of range") }
        return Int64(v)
    }
}
