"""Random helpers shared by the simulator's modules: named streams and weighted sampling without replacement."""
from __future__ import annotations

import zlib

import numpy as np


def stream(seed: int, name: str) -> np.random.Generator:
    """An independent generator per (seed, purpose), so adding draws in one module never shifts another's."""
    return np.random.default_rng(np.random.SeedSequence(entropy=int(seed), spawn_key=(zlib.crc32(name.encode()),)))


def weighted_sample(rng: np.random.Generator, candidates: np.ndarray, weights: np.ndarray | None, k: int) -> np.ndarray:
    """`k` distinct elements of `candidates`, drawn with probability proportional to `weights` (Efraimidis–Spirakis).

    Returned in ascending order so the result does not depend on tie-breaking in the sort.
    """
    candidates = np.asarray(candidates)
    if k <= 0:
        return candidates[:0]
    if k > len(candidates):
        raise ValueError(f"cannot draw {k} from {len(candidates)} candidates")
    if weights is None:
        keys = rng.random(len(candidates))
    else:
        w = np.clip(np.asarray(weights, dtype=float), 1e-12, None)
        keys = np.log(rng.random(len(candidates))) / w
    chosen = np.argpartition(-keys, k - 1)[:k]
    return np.sort(candidates[chosen])


def uniform_days(rng: np.random.Generator, start: int | np.ndarray, end: int | np.ndarray, size: int | None = None) -> np.ndarray:
    """Day numbers drawn uniformly from [start, end] (inclusive)."""
    start = np.asarray(start, dtype=np.int64)
    end = np.asarray(end, dtype=np.int64)
    if size is None:
        size = np.broadcast(start, end).shape
    u = rng.random(size)
    return (start + np.floor(u * (end - start + 1))).astype(np.int64)
