ballots = ["red", "blue", "red", "green", "red", "blue"]

winner, votes = Counter(ballots).most_common(1)[0]
assert winner == "red", winner
print(f"{winner} wins with {votes} votes")
