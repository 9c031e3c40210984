"""Long fuzz runs (`make fuzz`): the targets of this folder over many seeds, crash-isolated.

    python tests/fuzz/run.py [--target npy|lazy|all] [--seconds S] [--start SEED]
    python tests/fuzz/run.py --target lazy --seed 123        # replay one case in this process

Seeds run in child interpreters, a chunk at a time; a child journals each seed before running
it, so a crash (a signal, an abort) or a hang is reported with the seed that caused it, and the
run goes on from the next seed in a new child. A mismatch with NumPy is reported with its seed
and the program that produced it. Exit status 1 if anything failed.

Defaults come from the environment: NUMFUSE_FUZZ_SECONDS (600), NUMFUSE_FUZZ_START (1000000,
past the seeds `make test` runs), NUMFUSE_FUZZ_TARGET (all).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

TARGETS = {"npy": "npy_load", "lazy": "lazy_graph"}
CHUNK = {"npy": 2000, "lazy": 200}   # seeds per child
HANG_S = 300.0                       # a chunk running longer than this is a hang


def target_module(name):
    return __import__(TARGETS[name])


def run_child(target, start, count, journal_path):
    """In the child: run seeds, journal {"seed"} before each and {"fail"} for mismatches."""
    module = target_module(target)
    with open(journal_path, "a", buffering=1) as journal:
        for seed in range(start, start + count):
            journal.write(json.dumps({"seed": seed}) + "\n")
            try:
                module.run_case(seed)
            except AssertionError as exc:
                journal.write(json.dumps({"fail": seed, "message": str(exc)}) + "\n")


def read_journal(path):
    last_seed, failures = None, []
    with open(path) as f:
        for line in f:
            record = json.loads(line)
            if "seed" in record:
                last_seed = record["seed"]
            else:
                failures.append((record["fail"], record["message"]))
    return last_seed, failures


def run_chunk(target, start, count, tmp):
    """Runs seeds [start, start + count) in children; returns (next seed, failures, crashes)."""
    journal = os.path.join(tmp, f"{target}-{start}.journal")
    stderr_path = os.path.join(tmp, f"{target}-{start}.stderr")
    open(journal, "w").close()
    cmd = [sys.executable, __file__, "--child", target, str(start), str(count), journal]
    with open(stderr_path, "wb") as err:
        proc = subprocess.Popen(cmd, stdout=err, stderr=err)
        try:
            proc.wait(timeout=HANG_S)
            how = None if proc.returncode == 0 else f"exit status {proc.returncode}"
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            how = f"hang (its chunk ran past {HANG_S:.0f} s)"
    last_seed, failures = read_journal(journal)
    if how is None:
        return start + count, failures, []
    with open(stderr_path, "rb") as f:
        tail = f.read().decode("utf8", "replace")[-3000:]
    crashed = start if last_seed is None else last_seed
    return crashed + 1, failures, [(crashed, how, tail)]


def replay(target, seed):
    target_module(target).run_case(seed)
    print(f"{target} seed {seed}: ok")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", default=os.environ.get("NUMFUSE_FUZZ_TARGET", "all"),
                        choices=["all", *TARGETS])
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("NUMFUSE_FUZZ_SECONDS", 600)))
    parser.add_argument("--start", type=int, default=int(os.environ.get("NUMFUSE_FUZZ_START", 1_000_000)))
    parser.add_argument("--seed", type=int, help="replay one seed in this process")
    parser.add_argument("--child", nargs=4, metavar=("TARGET", "START", "COUNT", "JOURNAL"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        target, start, count, journal = args.child
        run_child(target, int(start), int(count), journal)
        return 0
    targets = list(TARGETS) if args.target == "all" else [args.target]
    if args.seed is not None:
        for target in targets:
            replay(target, args.seed)
        return 0

    deadline = time.monotonic() + args.seconds
    next_seed = {t: args.start for t in targets}
    failures, crashes = [], []
    with tempfile.TemporaryDirectory(prefix="nf_fuzz_") as tmp:
        while time.monotonic() < deadline:
            for target in targets:
                start = next_seed[target]
                next_seed[target], failed, crashed = run_chunk(target, start, CHUNK[target], tmp)
                failures += [(target, seed, message) for seed, message in failed]
                crashes += [(target, seed, how, tail) for seed, how, tail in crashed]
                for seed, how, _ in crashed:
                    print(f"CRASH {target} seed {seed}: {how}", flush=True)
                for seed, _ in failed:
                    print(f"FAIL {target} seed {seed}", flush=True)
    for target in targets:
        print(f"{target}: seeds {args.start} .. {next_seed[target] - 1}")
    for target, seed, message in failures:
        print(f"\n=== FAIL {target} seed {seed} (replay: python {os.path.relpath(__file__)} "
              f"--target {target} --seed {seed})\n{message}")
    for target, seed, how, tail in crashes:
        print(f"\n=== CRASH {target} seed {seed}: {how}\n{tail}")
    print(f"\n{len(failures)} failures, {len(crashes)} crashes")
    return 1 if failures or crashes else 0


if __name__ == "__main__":
    sys.exit(main())
