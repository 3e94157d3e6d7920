import Logging
import Testing
import VigilTestSupport
import VigilStorage

@Suite struct MigrationTests {
    @Test func migrationsApplyOnceAndAreRecorded() throws {
        let database = try TestDatabase.make(migrate: false)
        let connection = try database.connect()
        let migrator = try Migrator.bundled()
        let first = try migrator.migrate(connection, logger: Logger(label: "test"))
        #expect(first == migrator.migrations.map(\.version))
        #expect(!first.isEmpty)
        #expect(try migrator.migrate(connection, logger: Logger(label: "test")).isEmpty)
        #expect(try Migrator.currentVersion(connection) == first.last)
    }

    @Test func everyTableAndColumnIsCommented() throws {
        let database = try TestDatabase.make()
        let connection = try database.connect()
        let tables = "c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relnamespace = 'public'::regnamespace"
        let uncommentedTables = try connection.execute(
            "SELECT c.relname FROM pg_class c WHERE \(tables) AND obj_description(c.oid, 'pg_class') IS NULL").rows.compactMap { $0[0] }
        let uncommentedColumns = try connection.execute("""
            SELECT c.relname || '.' || a.attname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
            WHERE \(tables) AND a.attnum > 0 AND NOT a.attisdropped AND col_description(c.oid, a.attnum) IS NULL
            """).rows.compactMap { $0[0] }
        #expect(uncommentedTables == [])
        #expect(uncommentedColumns == [])
        #expect(try connection.execute("SELECT count(*) FROM pg_class c WHERE \(tables)").scalar == "17")
    }

    @Test func partitionsAreCreatedAndExpiredOnesDropped() throws {
        let database = try TestDatabase.make()
        let connection = try database.connect()
        let manager = PartitionManager()
        for day in [100, 101, 102] as [Int64] {
            try manager.create(PartitionKey(table: "spans", day: day), on: connection)
        }
        try connection.execute("""
            INSERT INTO traces VALUES ('\\x01'::bytea, '1970-04-11', '1970-04-11'), ('\\x02'::bytea, '1970-04-12', '1970-04-13')
            """)
        #expect(try manager.existingPartitions(connection).filter { $0.table == "spans" }.map(\.day).sorted() == [100, 101, 102])
        let dropped = try manager.dropPartitions(endingBefore: 102, on: connection, logger: Logger(label: "test"))
        #expect(dropped.map(\.partitionName) == ["spans_p19700411", "spans_p19700412"])
        #expect(try manager.existingPartitions(connection).map(\.day) == [102])
        #expect(try database.scalar("SELECT string_agg(encode(trace_id, 'hex'), ',') FROM traces") == "02")
    }
}
