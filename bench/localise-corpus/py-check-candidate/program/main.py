from program import find_max
