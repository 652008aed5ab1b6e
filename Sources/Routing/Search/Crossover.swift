/// Order crossover (OX) on giant tours: a random slice of the first parent is kept in
/// place and the remaining clients follow in the second parent's order.
enum Crossover {
    static func ox(_ a: [Int], _ b: [Int], nodeCount: Int, rng: inout RNG) -> [Int] {
        let n = a.count
        if n < 2 { return a }
        let start = rng.below(n)
        var end = rng.below(n)
        while end == start && n > 1 { end = rng.below(n) }
        var child = [Int](repeating: -1, count: n)
        var used = [Bool](repeating: false, count: nodeCount)
        var i = start
        while i != end {
            child[i] = a[i]
            used[a[i]] = true
            i = (i + 1) % n
        }
        child[end] = a[end]
        used[a[end]] = true
        var pos = (end + 1) % n
        for k in 0..<n {
            let v = b[(end + 1 + k) % n]
            if used[v] { continue }
            child[pos] = v
            used[v] = true
            pos = (pos + 1) % n
        }
        return child
    }
}
