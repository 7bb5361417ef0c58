import os

LEVELS = {"debug": 10, "info": 20}
ENCODED = json.dumps(LEVELS, sort_keys=True)

if __name__ == "__main__":
    print(ENCODED, os.sep)
