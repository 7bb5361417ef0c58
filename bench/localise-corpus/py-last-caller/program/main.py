from seq import first

print(first([1, 2]))
