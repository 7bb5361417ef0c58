#!/usr/bin/env python3
# Converts a few angles and prints their sines.
angles = [0, 30, 45, 90]
for deg in angles:
    rad = math.radians(deg)
    print(deg, round(math.sin(rad), 4))
