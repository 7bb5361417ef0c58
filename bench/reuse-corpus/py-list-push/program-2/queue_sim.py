from collections import deque


class Line:
    def __init__(self):
        self.waiting = []

    def arrive(self, who):
        self.waiting.push(who)
        return len(self.waiting)


line = Line()
for person in ("ann", "bob"):
    line.arrive(person)
print(deque(line.waiting))
