"""Python context for entropy.bench.mjs (BENCH_PYTHON=1): numpy / scipy on the same data.

Usage: python3 bench/python_bench.py SPEC.json, where SPEC is
  {"files": [{"kind", "n", "file"}], "rounds": R, "minTime": seconds}
and each file holds the normalized p as raw little-endian float64 (written by the bench).
Prints one JSON object on stdout: versions and, per file and case, the median over R rounds of
ns/element; in each round a case is called repeatedly for at least minTime seconds (after one
warm-up call) and the time per call is taken.

Cases (entropy in nats, as a user would write them):
  scipy.stats.entropy(p)          normalizes p, then sums scipy.special.entr (0 log 0 = 0)
  -(p*np.log(p)).sum()            the one-liner; NaN where p has zeros (0 * -inf), so for data
                                  with zeros the user's masked form below is timed instead
  x=p[p>0]; -(x*np.log(x)).sum()  the one-liner over the positive bins (mask included)
"""
import json
import platform
import statistics
import sys
import time
import warnings

import numpy as np
import scipy
import scipy.stats


def per_call(fn, min_time):
    fn()
    calls, t0 = 0, time.perf_counter()
    while True:
        fn()
        calls += 1
        dt = time.perf_counter() - t0
        if dt >= min_time:
            return dt / calls


def main():
    spec = json.load(open(sys.argv[1]))
    out = {"python": platform.python_version(), "numpy": np.__version__, "scipy": scipy.__version__, "results": []}
    for f in spec["files"]:
        p = np.fromfile(f["file"], dtype="<f8")
        n = p.size
        cases = {"scipy.stats.entropy(p)": lambda: scipy.stats.entropy(p)}
        if np.all(p > 0):
            cases["-(p*np.log(p)).sum()"] = lambda: -(p * np.log(p)).sum()
        else:
            def masked():
                x = p[p > 0]
                return -(x * np.log(x)).sum()
            cases["x=p[p>0]; -(x*np.log(x)).sum()"] = masked
        for name, fn in cases.items():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                value = float(fn())
                times = [per_call(fn, spec["minTime"]) for _ in range(spec["rounds"])]
            out["results"].append({
                "kind": f["kind"], "n": n, "case": name, "value": value,
                "nsPerEl": statistics.median(times) * 1e9 / n,
                "rounds": [t * 1e9 / n for t in times],
            })
    sys.stdout.write(json.dumps(out))


if __name__ == "__main__":
    main()
