"""Distances between points on a plane."""

from dataclasses import dataclass


@dataclass
class Point:
    x: float
    y: float

    def to(self, other):
        return math.hypot(self.x - other.x, self.y - other.y)


route = [Point(0, 0), Point(3, 4), Point(6, 8)]
total = sum(a.to(b) for a, b in zip(route, route[1:]))
print(f"route length: {total:.1f}")
