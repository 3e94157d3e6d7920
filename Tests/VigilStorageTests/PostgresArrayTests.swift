import Testing
import VigilTestSupport
import VigilStorage

@Suite struct PostgresArrayTests {
    @Test func textArraysReadBackElementByElement() throws {
        let database = try TestDatabase.make(migrate: false)
        let connection = try database.connect()
        let values: [String?] = ["plain", #"quote " and back\slash"#, nil, "", "{comma,brace}", "NULL"]
        let rows = try connection.execute(
            "SELECT v, v IS NULL FROM unnest($1::text[]) WITH ORDINALITY AS t(v, i) ORDER BY i", [PostgresArray.text(values)]).rows
        #expect(rows.map { $0[0] } == values)
        #expect(rows.map { $0[1] } == ["f", "f", "t", "f", "f", "f"])
    }
}
