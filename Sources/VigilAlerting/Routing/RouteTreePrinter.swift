/// Draws the routing tree as `amtool config routes show` and `routes test --tree` do.
public enum RouteTreePrinter {
    /// The whole tree: `Routing tree:` and one line per route.
    public static func show(_ root: Route, showReceivers: Bool = true, showContinue: Bool = true) -> String {
        var node = Node(label: ".")
        node.children.append(tree(root, showReceivers: showReceivers, showContinue: showContinue))
        return "Routing tree:\n" + node.render()
    }

    /// The part of the tree an alert with `labels` walks, with the receiver on the routes it ends at.
    public static func matching(_ root: Route, labels: LabelSet) -> String {
        var node = Node(label: ".")
        node.children.append(walk(root, labels: labels))
        return node.render()
    }

    static func slug(_ route: Route, showContinue: Bool, showReceiver: Bool) -> String {
        // amtool names every route without matchers, not only the root, "default-route".
        var text = route.matchers.isEmpty ? "default-route" : route.matchers.description
        if showContinue, route.continue { text += "  continue: true" }
        if showReceiver { text += "  receiver: \(route.options.receiver)" }
        return text
    }

    private static func tree(_ route: Route, showReceivers: Bool, showContinue: Bool) -> Node {
        Node(label: slug(route, showContinue: showContinue, showReceiver: showReceivers),
             children: route.routes.map { tree($0, showReceivers: showReceivers, showContinue: showContinue) })
    }

    private static func walk(_ route: Route, labels: LabelSet) -> Node {
        var node = Node(label: slug(route, showContinue: false, showReceiver: false))
        var final = true
        for child in route.routes where child.matchers.matches(labels) {
            node.children.append(walk(child, labels: labels))
            final = false
            if !child.continue { break }
        }
        if final { node.label = slug(route, showContinue: false, showReceiver: true) }
        return node
    }

    /// A tree drawn with box-drawing branches, one node per line.
    struct Node {
        var label: String
        var children: [Node] = []

        func render() -> String {
            var lines = [label]
            append(children, prefix: "", to: &lines)
            return lines.joined(separator: "\n") + "\n"
        }

        private func append(_ nodes: [Node], prefix: String, to lines: inout [String]) {
            for (index, child) in nodes.enumerated() {
                let last = index == nodes.count - 1
                lines.append(prefix + (last ? "└── " : "├── ") + child.label)
                // amtool's tree library draws the continuation as a bar, two no-break spaces and a space.
                child.append(child.children, prefix: prefix + (last ? "    " : "│\u{A0}\u{A0} "), to: &lines)
            }
        }
    }
}
