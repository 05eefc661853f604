"""A hand-made mutation check of the rule modules (issue 28 item 6): does a one-point slip fail a test?

Each mutant replaces one exact piece of text in one module (an off-by-one, < for <=, min for max,
swapped arguments, a dropped filter) in a private copy of the repository, runs that rule's test files
there with ``nice -n 19`` and records killed/survived to a JSON file. The copy keeps the worktree
untouched, so tests can be written while a run goes on.

    python scripts/mutation_check.py --ref main --out bench/mutation_before.json   # the old tests
    python scripts/mutation_check.py --survivors bench/mutation_before.json \\
        --out bench/mutation_after.json                                            # with the new ones

``--survivors`` runs only what the earlier run left alive, and only the test files that run did not
have: tests were only added, so a mutant the earlier files killed stays killed, and one they let
live is killed by the larger set exactly when a new file kills it. The hostile corpus run (tests/importing/test_hostile.py, about
two minutes) is deliberately not in any list: each of its checks should have a fast unit test.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mutants import MUTANTS, Mutant  # scripts/mutants.py

REPO = Path(__file__).resolve().parent.parent
# Mutants of modules the build does not run can share one store built before mutating (the
# session fixture copies it instead of building: ~30 s saved per mutant on this machine).


def make_copy(ref: str | None) -> Path:
    """The tracked files at ``ref`` (or the work tree's tracked and new files) in a temporary folder."""
    work = Path(tempfile.mkdtemp(prefix="kpi-mutation-"))
    if ref:
        archive = subprocess.run(["git", "-C", str(REPO), "archive", ref], check=True, capture_output=True)
        subprocess.run(["tar", "-x", "-C", str(work)], input=archive.stdout, check=True)
        return prepare(work)
    files = subprocess.run(["git", "-C", str(REPO), "ls-files", "-co", "--exclude-standard"],
                           check=True, capture_output=True, text=True).stdout.split("\n")
    for rel in filter(None, files):
        src = REPO / rel
        if src.is_file():
            (work / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, work / rel)
    return prepare(work)


def prepare(work: Path) -> Path:
    """Nothing to prepare: tests/conftest.py builds the store once per pytest process and copies it
    to each test (store_template), so a mutant costs one build, not one per test."""
    return work


def run_one(work: Path, mutant: Mutant, timeout: int, already: tuple[str, ...] = ()) -> dict:
    path = work / mutant.file
    original = path.read_text(encoding="utf-8")
    found = original.count(mutant.old)
    if found != 1:
        return {"id": mutant.id, "result": "invalid", "why": f"text found {found} times"}
    tests = [t for t in mutant.tests if (work / t).exists() and t not in already]
    if not tests:
        return {"id": mutant.id, "file": mutant.file, "what": mutant.what, "result": "survived",
                "killed_by": [], "tests": [], "summary": "no new test", "seconds": 0}
    path.write_text(original.replace(mutant.old, mutant.new), encoding="utf-8")
    started = time.monotonic()
    env = os.environ | {"PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("KPI_DATA_DIR", None)
    try:
        proc = subprocess.run(["nice", "-n", "19", sys.executable, "-m", "pytest", "-x", "-q",
                               "-p", "no:cacheprovider", "-p", "no:randomly", *tests],
                              cwd=work, env=env, capture_output=True, text=True, timeout=timeout)
        result = "survived" if proc.returncode == 0 else "killed"
        tail = proc.stdout.strip().splitlines()[-1:] if proc.stdout else []
        failed = [ln.split(" ")[1] for ln in proc.stdout.splitlines() if ln.startswith("FAILED ")]
    except subprocess.TimeoutExpired:  # on a loaded machine a slow run is not a kill: not counted
        result, tail, failed = "timeout", [f"no result in {timeout} s"], []
    finally:
        path.write_text(original, encoding="utf-8")
    return {"id": mutant.id, "file": mutant.file, "what": mutant.what, "result": result,
            "killed_by": failed[:3], "tests": tests, "summary": tail[0] if tail else "",
            "seconds": round(time.monotonic() - started)}


def main() -> int:
    ap = argparse.ArgumentParser(description="單點突變檢查（規則模組）")
    ap.add_argument("--ref", help="git ref whose tests to use (default: the work tree)")
    ap.add_argument("--survivors", type=Path, help="run only the mutants this earlier result left alive")
    ap.add_argument("--only", nargs="*", help="mutant ids")
    ap.add_argument("--new-since", help="run only the test files that this git ref lacks (a mutant they "
                    "kill is killed by the larger set whatever the older files do)")
    ap.add_argument("--merge", type=Path, nargs="*", help="join the results of runs split by --only")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--timeout", type=int, default=900)
    args = ap.parse_args()
    if args.merge:
        parts = [json.loads(path.read_text()) for path in args.merge]
        args.ref = parts[0]["ref"]
        write(args, {r["id"]: r for part in parts for r in part["mutants"]})
        return 0
    chosen = MUTANTS
    earlier: dict[str, dict] = {}
    if args.survivors:
        earlier = {r["id"]: r for r in json.loads(args.survivors.read_text())["mutants"]}
        chosen = [m for m in MUTANTS if earlier.get(m.id, {}).get("result") != "killed"]
    if args.only:  # in the order given (cheap test files first when time is short)
        by_id = {m.id: m for m in chosen}
        chosen = [by_id[i] for i in args.only if i in by_id]
    work = make_copy(args.ref)
    results = {m.id: earlier[m.id] | {"earlier": True} for m in MUTANTS
               if earlier.get(m.id, {}).get("result") == "killed"}
    try:
        for mutant in chosen:
            ran = tuple(earlier.get(mutant.id, {}).get("tests", ()))
            if args.new_since:
                ran += tuple(t for t in mutant.tests if subprocess.run(
                    ["git", "-C", str(REPO), "cat-file", "-e", f"{args.new_since}:{t}"], capture_output=True).returncode == 0)
            results[mutant.id] = run_one(work, mutant, args.timeout, ran) | ({"earlier_tests": list(ran)}
                                                                            if ran else {})
            print(json.dumps(results[mutant.id], ensure_ascii=False), flush=True)
            write(args, results)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    write(args, results)
    return 0


def write(args: argparse.Namespace, results: dict[str, dict]) -> None:
    rows = [results[m.id] for m in MUTANTS if m.id in results]
    valid = [r for r in rows if r["result"] in ("killed", "survived")]
    killed = sum(r["result"] == "killed" for r in valid)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({
        "ref": args.ref or "work tree", "mutants_run": len(valid), "killed": killed,
        "kill_rate": round(killed / len(valid), 3) if valid else None,
        "survived": [r["id"] for r in valid if r["result"] == "survived"],
        "not_measured": [r["id"] for r in rows if r not in valid],
        "mutants": rows}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
