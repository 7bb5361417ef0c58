import unittest
from seq import first, last


class SeqTest(unittest.TestCase):
    def test_first(self):
        self.assertEqual(first([4, 5, 6]), 4)

    def test_last(self):
        self.assertEqual(last([4, 5, 6]), 6)
