import unittest
from chunks import chunks, flatten


class ChunksTest(unittest.TestCase):
    def test_even(self):
        self.assertEqual(chunks([1, 2, 3, 4], 2), [[1, 2], [3, 4]])

    def test_round_trip(self):
        self.assertEqual(flatten(chunks([1, 2, 3], 2)), [1, 2, 3])
