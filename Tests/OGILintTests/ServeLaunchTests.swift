import Foundation
import OGITestSupport
import XCTest

@testable import ogilint

/// `ogilint serve` runs the program `ogilint-server` beside `ogilint`, in place of itself, with the same arguments
/// (`ServerLauncher`): the server's help and options, its first line, its exit on SIGTERM, and a clear error
/// when the server program is missing.
final class ServeLaunchTests: XCTestCase {
    func testServerArgumentsAreTheWordsAfterServe() {
        XCTAssertEqual(ServerLauncher.serverArguments(["serve"]), [])
        XCTAssertEqual(ServerLauncher.serverArguments(["serve", "--port", "9000", "--rules", "x"]), ["--port", "9000", "--rules", "x"])
        XCTAssertEqual(ServerLauncher.serverArguments(["help", "serve"]), ["--help"])
        XCTAssertNil(ServerLauncher.serverArguments(["check", "--", "serve"]))
        XCTAssertNil(ServerLauncher.serverArguments(["help"]))
        XCTAssertNil(ServerLauncher.serverArguments(["--", "serve"]))
        XCTAssertNil(ServerLauncher.serverArguments([]))
    }

    func testServeHelpIsTheServersAndListsItsOptions() throws {
        for args in [["serve", "--help"], ["help", "serve"], ["serve", "-h"]] {
            let r = try CLI.run(args)
            XCTAssertEqual(r.code, 0, "\(args): \(r.err)")
            XCTAssertTrue(r.out.contains("USAGE: ogilint serve"), r.out)
            for option in ["--host", "--port", "--rules-root", "--max-checks", "--allow-host", "--time-limit"] {
                XCTAssertTrue(r.out.contains(option), "\(args): \(option) missing from\n\(r.out)")
            }
        }
        // The root's list of commands still has serve, with its one-line description.
        let root = try CLI.run(["--help"])
        XCTAssertTrue(root.out.contains("serve") && root.out.contains("Serve a local web page"), root.out)
    }

    func testServeUsageErrorsAreTheServersWithExitTwo() throws {
        let r = try CLI.run(["serve", "--port", "70000"])
        XCTAssertEqual(r.code, 2)
        XCTAssertTrue(r.err.contains("--port must be between 1 and 65535"), r.err)
        XCTAssertTrue(r.err.contains("ogilint serve"), r.err)
        let unknown = try CLI.run(["serve", "--no-such-option"])
        XCTAssertEqual(unknown.code, 2)
        XCTAssertTrue(unknown.err.contains("--no-such-option"), unknown.err)
    }

    /// The server runs in the process `ogilint serve` started: it prints the address, listens, and SIGTERM to
    /// that process stops it with exit 0.
    func testServeStartsTheServerInPlaceAndStopsOnSigterm() throws {
        let port = try freePort()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CLI.binary)
        p.arguments = ["serve", "--port", String(port)]
        var environment = ProcessInfo.processInfo.environment
        environment["OGILINT_RULES"] = Repo.rules
        p.environment = environment
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        defer { if p.isRunning { kill(p.processIdentifier, SIGKILL) } }
        let firstLine = try readLine(out.fileHandleForReading, timeout: 60)
        XCTAssertEqual(firstLine, "ogilint serve: open http://127.0.0.1:\(port)/ (Ctrl-C stops it)")
        XCTAssertTrue(acceptsConnections(port: port), "nothing listens on port \(port)")
        kill(p.processIdentifier, SIGTERM)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationReason, .exit)
        XCTAssertEqual(p.terminationStatus, 0)
    }

    func testServeWithoutTheServerProgramSaysWhatToDo() throws {
        let dir = try temporaryFolder()
        let lone = (dir as NSString).appendingPathComponent("ogilint")
        try FileManager.default.copyItem(atPath: CLI.binary, toPath: lone)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: lone)
        p.arguments = ["serve", "--port", "9"]
        let err = Pipe()
        p.standardOutput = FileHandle.nullDevice
        p.standardError = err
        try p.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 2)
        let expected = "ogilint: serve needs the server program \(dir)/ogilint-server, which is missing"
        XCTAssertTrue(message.hasPrefix(expected), message)
        XCTAssertTrue(message.contains("swift build -c release --product ogilint-server"), message)
        // Checking needs no server.
        let check = Process()
        check.executableURL = URL(fileURLWithPath: lone)
        check.arguments = ["check", "--quiet", Repo.path("samples/clean-2021-government.txt")]
        check.environment = ["OGILINT_RULES": Repo.rules, "XDG_CACHE_HOME": dir]
        try check.run()
        check.waitUntilExit()
        XCTAssertEqual(check.terminationStatus, 0)
    }

    private func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw XCTSkip("cannot bind a loopback port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether a TCP connection to the loopback port succeeds.
    private func acceptsConnections(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    /// The first line the process writes, waiting at most `timeout` seconds.
    private func readLine(_ handle: FileHandle, timeout: TimeInterval) throws -> String {
        var bytes = Data()
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            var poller = pollfd(fd: handle.fileDescriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 200) > 0 else { continue }
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            bytes.append(chunk)
            if let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) {
                return String(decoding: bytes[..<newline], as: UTF8.self)
            }
        }
        XCTFail("the server printed no line within \(timeout) s (got '\(String(decoding: bytes, as: UTF8.self))')")
        return ""
    }
}
