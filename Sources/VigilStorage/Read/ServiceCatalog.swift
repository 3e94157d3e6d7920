/// The services and operations Vigil has seen.
public struct ServiceCatalog: Sendable {
    public struct Operation: Sendable, Equatable {
        public var name: String
        public var spanKind: Int
    }

    private let pool: PostgresReadPool

    public init(pool: PostgresReadPool) {
        self.pool = pool
    }

    /// Every service name of a stored resource, sorted.
    public func services() async throws(StorageError) -> [String] {
        try await pool.withConnection { connection throws(StorageError) in
            try connection.execute("SELECT DISTINCT service_name FROM resources ORDER BY 1").rows.compactMap { $0[0] }
        }
    }

    /// The operations (span names) and span kinds of a service with spans in `range`, from the rollups.
    public func operations(service: String, range: TimeRange) async throws(StorageError) -> [Operation] {
        try await pool.withConnection { connection throws(StorageError) in
            try connection.execute("""
                SELECT DISTINCT operation, span_kind FROM red_rollups
                WHERE service_name = $1 AND time >= $2::timestamptz AND time < $3::timestamptz
                ORDER BY 1, 2
                """, [service, range.startText, range.endText]).rows.compactMap { row in
                guard let name = row[0], let kind = row[1].flatMap({ Int($0) }) else { return nil }
                return Operation(name: name, spanKind: kind)
            }
        }
    }
}
