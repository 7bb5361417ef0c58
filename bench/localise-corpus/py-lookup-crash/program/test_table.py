import unittest
from table import has, lookup


class TableTest(unittest.TestCase):
    def test_lookup(self):
        self.assertEqual(lookup("Red"), "#f00")

    def test_has(self):
        self.assertTrue(has("BLUE"))
