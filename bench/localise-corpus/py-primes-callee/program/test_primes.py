import unittest
from primes import primes_below


class PrimesTest(unittest.TestCase):
    def test_below_ten(self):
        self.assertEqual(primes_below(10), [2, 3, 5, 7])
