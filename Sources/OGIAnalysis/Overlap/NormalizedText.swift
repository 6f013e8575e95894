import OGIModel

/// Text reduced to what wording comparisons care about: CJK characters, letters and digits (ASCII letters lower
/// case, full-width digits and letters folded to ASCII); spaces and punctuation dropped. `origin[i]` is the offset
/// of unit `i` in the scalars it was made from.
public struct NormalizedText: Sendable {
    public let units: [UInt32]
    public let origin: [Int]

    public init(_ scalars: [Unicode.Scalar], range: Range<Int>? = nil) {
        var u: [UInt32] = []
        var o: [Int] = []
        let r = range ?? 0..<scalars.count
        u.reserveCapacity(r.count)
        o.reserveCapacity(r.count)
        for i in r {
            guard let v = NormalizedText.fold(scalars[i]) else { continue }
            u.append(v)
            o.append(i)
        }
        units = u
        origin = o
    }

    public var count: Int { units.count }

    /// `NormalizedText(scalars, range: range).units`, without the origins.
    /// Read through buffer pointers and written into an array made at its size (appending to an array checked its
    /// room and uniqueness for every unit).
    public static func units(_ scalars: [Unicode.Scalar], range: Range<Int>) -> [UInt32] {
        precondition(range.lowerBound >= 0 && range.upperBound <= scalars.count, "range outside the scalars")
        return scalars.withUnsafeBufferPointer { s in
            [UInt32](writingAtMost: range.count) { out in
                var n = 0
                for i in range {
                    if let v = fold(s[i]) { out[n] = v; n += 1 }
                }
                return n
            }
        }
    }

    /// The source span of normalised units `lo..<hi`.
    public func sourceSpan(_ lo: Int, _ hi: Int) -> TextSpan {
        TextSpan(start: origin[lo], end: origin[hi - 1] + 1)
    }

    @inline(__always) static func fold(_ s: Unicode.Scalar) -> UInt32? {
        let v = s.value
        switch v {
        case 0x30...0x39, 0x61...0x7A: return v
        case 0x41...0x5A: return v + 32
        case 0xFF10...0xFF19: return v - 0xFF10 + 0x30
        case 0xFF21...0xFF3A: return v - 0xFF21 + 0x61
        case 0xFF41...0xFF5A: return v - 0xFF41 + 0x61
        default:
            return CharClass.isCJK(s) ? v : nil
        }
    }
}
