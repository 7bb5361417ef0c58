import unittest
from steps import steps


class StepsTest(unittest.TestCase):
    def test_even(self):
        self.assertEqual(steps(4), 4)

    def test_odd(self):
        self.assertEqual(steps(3), 3)
