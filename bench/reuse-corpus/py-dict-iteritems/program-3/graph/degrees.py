class Graph:
    def __init__(self):
        self.edges = {}

    def add(self, a, b):
        self.edges.setdefault(a, []).append(b)

    def degrees(self):
        return {node: len(targets) for node, targets in self.edges.iteritems()}


g = Graph()
g.add("a", "b")
g.add("a", "c")
print(g.degrees())
