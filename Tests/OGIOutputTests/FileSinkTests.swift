import Foundation
import OGITestSupport
import XCTest

@testable import OGIOutput

/// A file sink buffers what it is given and writes it to its descriptor in order, whatever the sizes of the writes
/// against its buffer: the file holds exactly the bytes written, as `Data`, as bytes or as text.
final class FileSinkTests: XCTestCase {
    func testTheFileHoldsEveryWriteInOrder() throws {
        let dir = try temporaryFolder()
        // Sizes around the 64 KB buffer: empty, small, filling it exactly, one byte over, and several times larger.
        let sizes = [0, 1, 7, 4_096, 65_535, 1, 65_536, 65_537, 3, 200_000, 0, 12, 131_072, 65_000, 600, 1]
        for round in 0..<3 {
            let path = (dir as NSString).appendingPathComponent("out\(round).bin")
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            XCTAssertGreaterThanOrEqual(fd, 0)
            var expected = Data()
            do {
                let sink = FileSink(fd: fd, name: path)
                for (i, n) in sizes.enumerated() {
                    // Every byte differs from its neighbours' pattern, so a chunk out of order or repeated shows.
                    let chunk = Data((0..<n).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ i &* 7 &+ round) })
                    switch (i + round) % 3 {
                    case 0: try sink.write(chunk)
                    case 1: try chunk.withUnsafeBytes { try sink.write(bytes: $0) }
                    default:
                        let text = String(repeating: "报", count: n / 3)
                        try sink.write(text)
                        expected += Data(text.utf8)
                        continue
                    }
                    expected += chunk
                }
                try sink.flush()
            }
            let written = try Data(contentsOf: URL(fileURLWithPath: path))
            XCTAssertEqual(written.count, expected.count, "round \(round)")
            XCTAssertTrue(written == expected, "round \(round): the file holds the writes in order")
        }
    }

    /// A write the descriptor refuses is an error naming the output, not a silent loss.
    func testAFailedWriteIsAnError() throws {
        let sink = FileSink(fd: -1, name: "closed output", ownsDescriptor: false)
        try sink.write(Data([1, 2, 3]))  // buffered
        XCTAssertThrowsError(try sink.flush()) { error in
            XCTAssertTrue("\(error)".contains("closed output"), "\(error)")
        }
        XCTAssertThrowsError(try sink.write(Data(count: 1 << 17)), "a write larger than the buffer goes out at once")
    }
}
