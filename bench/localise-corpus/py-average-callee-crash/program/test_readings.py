import unittest
from readings import average


class ReadingsTest(unittest.TestCase):
    def test_average(self):
        self.assertEqual(average([2, 4, 6]), 4)

    def test_average_with_gaps(self):
        self.assertEqual(average([2, None, 4]), 3)
