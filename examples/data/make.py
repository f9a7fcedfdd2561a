"""Write the sample files of `npm run demo` (examples/demo.mjs): dice.npy and letters.csv.

Run from the repository root: python3 examples/data/make.py (numpy 2.x; seeded, same output each run).
- dice.npy: uint32 counts, shape (3, 6): 6000 rolls each of a fair die, a die loaded towards 6,
  and a die that only shows 1 or 2 (rows for `entropy-wasm rows`).
- letters.csv: letter counts a..z of English text (per 100,000 letters, from the usual frequency
  table) and of a short sample sentence repeated, with a header line letter,english,sample.
"""
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(6)
fair = np.bincount(rng.integers(0, 6, 6000), minlength=6)
loaded = np.bincount(rng.choice(6, 6000, p=[0.1, 0.1, 0.1, 0.1, 0.1, 0.5]), minlength=6)
two = np.bincount(rng.integers(0, 2, 6000), minlength=6)
np.save(os.path.join(HERE, "dice.npy"), np.stack([fair, loaded, two]).astype("<u4"))

english = [8167, 1492, 2782, 4253, 12702, 2228, 2015, 6094, 6966, 153, 772, 4025, 2406,
           6749, 7507, 1929, 95, 5987, 6327, 9056, 2758, 978, 2360, 150, 1974, 74]
text = "the quick brown fox jumps over the lazy dog while the cat sleeps in the sun " * 3
with open(os.path.join(HERE, "letters.csv"), "w") as f:
    f.write("letter,english,sample\n")
    for i, c in enumerate("abcdefghijklmnopqrstuvwxyz"):
        f.write(f"{c},{english[i]},{text.count(c)}\n")
