"""Makes sure target/differential/scenarios.jsonl is current, and prints its path.

Every runner (native, Node, Chromium, Wasmtime) calls this first: it regenerates the file
(gen.py, then oracle.py under the reference CPython) only when one of its inputs changed. The
first line of the file is a header, {"meta": {"inputs": <sha256 of the inputs>, "python":
<version>, "count": <scenarios>}}; the runners skip it. Concurrent runners wait on a lock
file, so the file is generated once and always read whole (it is written aside and renamed).

usage: python3.13 build.py [--out PATH]
"""

import fcntl
import hashlib
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
INPUTS = [
    os.path.join(HERE, "gen.py"),
    os.path.join(HERE, "pick.py"),
    os.path.join(HERE, "families.py"),
    os.path.join(HERE, "configs.py"),
    os.path.join(HERE, "oracle.py"),
    os.path.join(HERE, "build.py"),
    os.path.join(HERE, "cookbook_seeds.json"),
    os.path.join(REPO, "tests", "python", "wire.py"),
    os.path.join(REPO, "tests", "fixtures", "dictconfig", "seed_factories.py"),
    os.path.join(REPO, "tests", "fixtures", "dictconfig", "recipe_5_console.json"),
    os.path.join(REPO, "tests", "fixtures", "dictconfig", "django.json"),
    os.path.join(REPO, "tests", "fixtures", "dictconfig", "memory_target.json"),
]


def inputs_hash():
    h = hashlib.sha256()
    for p in INPUTS:
        with open(p, "rb") as f:
            h.update(p.encode() + b"\0" + f.read() + b"\0")
    h.update(sys.version.encode())
    return h.hexdigest()


def current(path, digest):
    try:
        with open(path, encoding="utf-8") as f:
            meta = json.loads(f.readline())["meta"]
        return meta["inputs"] == digest
    except (OSError, ValueError, KeyError):
        return False


def main():
    out = os.path.join(REPO, "target", "differential", "scenarios.jsonl")
    if len(sys.argv) >= 3 and sys.argv[1] == "--out":
        out = os.path.abspath(sys.argv[2])
    os.makedirs(os.path.dirname(out), exist_ok=True)
    digest = inputs_hash()
    with open(out + ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not current(out, digest):
            gen = subprocess.run([sys.executable, os.path.join(HERE, "gen.py")],
                                 check=True, capture_output=True)
            expected = subprocess.run([sys.executable, os.path.join(HERE, "oracle.py")],
                                      input=gen.stdout, check=True, capture_output=True)
            lines = expected.stdout.decode("utf-8").splitlines()
            meta = {"meta": {"inputs": digest, "python": sys.version.split()[0],
                             "count": len(lines)}}
            tmp = "%s.%d" % (out, os.getpid())
            with open(tmp, "w", encoding="utf-8") as f:
                f.write(json.dumps(meta) + "\n")
                for line in lines:
                    f.write(line + "\n")
            os.replace(tmp, out)
    print(out)


if __name__ == "__main__":
    main()
