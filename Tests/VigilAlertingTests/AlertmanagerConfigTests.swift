import Foundation
import Testing
import VigilYAML
@testable import VigilAlerting

@Suite struct AlertmanagerConfigTests {
    static let base = """
        route:
          receiver: default
          group_by: [alertname]
          routes:
            - matchers: ['team="db"']
              receiver: db
              group_wait: 10s
              routes:
                - match: {severity: critical}
                  receiver: db-pager
                  continue: true
                - match_re: {severity: "crit.*"}
                  receiver: db-all
            - matchers: ['{team=~"web|api", env!="dev"}']
              receiver: web
              group_by: ['...']
        receivers:
          - name: default
          - name: db
          - name: db-pager
          - name: db-all
          - name: web
        """

    func load(_ text: String) throws -> AlertmanagerConfig {
        try AlertmanagerConfig.parse(text, file: "am.yml")
    }

    @Test func routesInheritOptionsAndMatchDepthFirst() throws {
        let route = Route(root: try load(Self.base).route)
        #expect(route.match(["alertname": "x"]).map(\.options.receiver) == ["default"])
        #expect(route.match(["team": "db"]).map(\.options.receiver) == ["db"])
        #expect(route.match(["team": "db", "severity": "critical"]).map(\.options.receiver) == ["db-pager", "db-all"])
        #expect(route.match(["team": "api", "env": "prod"]).map(\.options.receiver) == ["web"])
        #expect(route.match(["team": "api", "env": "dev"]).map(\.options.receiver) == ["default"])
        let db = route.routes[0]
        #expect(db.options.groupWait == .seconds(10))
        #expect(db.options.groupBy == ["alertname"])
        #expect(db.routes[0].options.groupWait == .seconds(10))
        #expect(db.options.groupInterval == .seconds(300))
        #expect(route.routes[1].options.groupByAll)
    }

    @Test func groupKeysUseTheRouteKeyAndGroupLabels() throws {
        let route = Route(root: try load(Self.base).route)
        let db = route.routes[0]
        #expect(db.key == "{}/{team=\"db\"}")
        #expect(db.groupLabels(of: ["alertname": "Down", "team": "db", "x": "y"]) == ["alertname": "Down"])
    }

    @Test(arguments: [
        ("route:\n  receiver: nobody\nreceivers:\n  - name: a\n", "undefined receiver \"nobody\" used in route"),
        ("receivers:\n  - name: a\n", "no routes provided"),
        ("route:\n  group_by: [a]\nreceivers:\n  - name: a\n", "root route must specify a default receiver"),
        ("route:\n  receiver: a\n  matchers: ['x=y']\nreceivers:\n  - name: a\n", "root route must not have any matchers"),
        ("route:\n  receiver: a\nreceivers:\n  - name: a\n  - name: a\n", "notification config name \"a\" is not unique"),
        ("route:\n  receiver: a\n  routes:\n    - match_re: {x: '(['}\nreceivers:\n  - name: a\n", "match_re"),
        ("route:\n  receiver: a\n  group_by: ['...', a]\nreceivers:\n  - name: a\n", "cannot have wildcard group_by"),
        ("route:\n  receiver: a\n  group_interval: 0s\nreceivers:\n  - name: a\n", "group_interval cannot be zero"),
        ("route:\n  receiver: a\n  routes:\n    - mute_time_intervals: [night]\nreceivers:\n  - name: a\n", "undefined time interval \"night\" used in route"),
        ("route:\n  receiver: a\n  surprise: 1\nreceivers:\n  - name: a\n", "route.surprise: unknown key"),
    ])
    func rejectsInvalidConfigurations(text: String, expected: String) {
        #expect {
            _ = try load(text)
        } throws: { error in
            "\(error)".contains(expected)
        }
    }
}
