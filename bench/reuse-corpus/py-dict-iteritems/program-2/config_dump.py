import os

DEFAULTS = {"HOME": "/root", "LANG": "C"}


def render(settings):
    lines = []
    for key, value in sorted(settings.iteritems()):
        lines.append("%s=%s" % (key, os.environ.get("HARDFIX_BENCH_" + key, value)))
    return lines


print("\n".join(render(DEFAULTS)))
