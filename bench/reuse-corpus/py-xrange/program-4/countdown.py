#!/usr/bin/env python3
"""Counts down."""

total = 0
for step in xrange(10, 0, -1):
    total += step
print("sum", total)
