/// SplitMix64: a small, fast, seedable generator. Every random choice in generators
/// and solvers goes through one of these so the same seed gives the same result.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// An integer in `0..<n` (0 when `n` < 1). Plain modulo: the bias is negligible for
    /// the small `n` of the searches, and it keeps their sequences as they were.
    public mutating func below(_ n: Int) -> Int {
        Int(next() % UInt64(max(n, 1)))
    }

    /// A uniform double in [a, b).
    public mutating func uniform(_ a: Double, _ b: Double) -> Double {
        a + (b - a) * Double(next() >> 11) / Double(1 << 53)
    }

    /// Standard normal (Box-Muller).
    public mutating func normal(mean: Double = 0, sd: Double = 1) -> Double {
        let u1 = max(uniform(0, 1), 1e-12), u2 = uniform(0, 1)
        return mean + sd * (-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2)
    }
}

// Avoid Foundation in the pure core: tiny wrappers over the C library.
#if canImport(Glibc)
import Glibc
@inline(__always) func _log(_ x: Double) -> Double { Glibc.log(x) }
@inline(__always) func _cos(_ x: Double) -> Double { Glibc.cos(x) }
@inline(__always) func _sin(_ x: Double) -> Double { Glibc.sin(x) }
#else
import Darwin
@inline(__always) func _log(_ x: Double) -> Double { Darwin.log(x) }
@inline(__always) func _cos(_ x: Double) -> Double { Darwin.cos(x) }
@inline(__always) func _sin(_ x: Double) -> Double { Darwin.sin(x) }
#endif
