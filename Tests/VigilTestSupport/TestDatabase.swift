import Foundation
import Logging
import VigilStorage

/// A fresh, migrated database on the PostgreSQL that scripts/test starts
/// (`VIGIL_TEST_ADMIN_URL`, a superuser URL). Tests fail, rather than skip, without it.
public struct TestDatabase: Sendable {
    public let conninfo: String
    public let name: String

    public static func adminURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["VIGIL_TEST_ADMIN_URL"], !url.isEmpty else {
            throw TestSetupError("VIGIL_TEST_ADMIN_URL is not set: run the tests with scripts/test, which starts PostgreSQL")
        }
        return url
    }

    /// Creates and migrates a database with a unique name.
    public static func make(migrate: Bool = true) throws -> TestDatabase {
        let admin = try adminURL()
        let name = "vigil_test_\(UInt32.random(in: 0...UInt32.max))_\(ProcessInfo.processInfo.processIdentifier)"
        let connection = try PostgresConnection(conninfo: admin)
        try connection.execute("CREATE DATABASE \(name)")
        guard let base = admin.range(of: "/", options: .backwards) else { throw TestSetupError("admin URL has no database part") }
        let database = TestDatabase(conninfo: String(admin[..<base.lowerBound]) + "/" + name, name: name)
        if migrate {
            try Migrator.bundled().migrate(try database.connect(), logger: Logger(label: "test"))
        }
        return database
    }

    public func connect() throws -> PostgresConnection {
        try PostgresConnection(conninfo: conninfo)
    }

    public func scalar(_ sql: String, _ parameters: [String?] = []) throws -> String? {
        try connect().execute(sql, parameters).scalar
    }
}

public struct TestSetupError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Runs a writer for the duration of `body`, then drains and stops it.
public func withWriter<T>(
    _ database: TestDatabase, maxQueuedRows: Int = 500_000, _ body: (IngestWriter) async throws -> T
) async throws -> T {
    let writer = IngestWriter(configuration: .init(conninfo: database.conninfo, maxQueuedRows: maxQueuedRows), logger: Logger(label: "test"))
    let running = Task { try await writer.run() }
    defer {
        writer.stop()
    }
    let result = try await body(writer)
    writer.stop()
    try await running.value
    return result
}

public let nowNanos = Int64(Date().timeIntervalSince1970 * 1e9)
public let encoder = TelemetryEncoder(nowUnixNano: nowNanos, retentionDays: 7, maxFutureSkewNanos: 86_400_000_000_000)
