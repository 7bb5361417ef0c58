import unittest
from parity import is_even, is_odd


class ParityTest(unittest.TestCase):
    def test_even(self):
        self.assertTrue(is_even(4))

    def test_seven(self):
        self.assertFalse(is_even(7))

    def test_odd(self):
        self.assertTrue(is_odd(3))
