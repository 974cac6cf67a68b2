"""Duplicate stories across articles: exact fingerprints and MinHash LSH.

A wire story carried by twenty sites comes with other headlines and bylines, a trimmed last
paragraph, a changed word. Two articles are the same story when the sets of their word
5-shingles overlap enough (Jaccard similarity, estimated by MinHash); candidates are found
through LSH bands, which the store keeps in an indexed table so that the lookup works
across runs and processes without holding every signature in memory.

Exact duplicates (same words after normalising case, punctuation and typography) are found
first by a fingerprint, which costs nothing.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

# datasketch (and the scipy it loads) is imported where it is used: the command line's help
# and the read commands, which need only DEFAULT_THRESHOLD, start without it

#: Words per shingle: long enough that distinct articles on one topic share few shingles.
SHINGLE_WORDS = 5
NUM_PERM = 128
SEED = 20240
#: Default similarity above which two articles are one story (see benchmarks/bench_dedup.py).
DEFAULT_THRESHOLD = 0.5

_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """Normalised words: case, accents' compatibility forms and punctuation set aside."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).lower())


def _tokens(text: str) -> list[str]:
    """The words of ``text``; for a text without any (only symbols or emoji), its chunks
    between spaces, so that two such texts are not all one story."""
    return words(text) or unicodedata.normalize("NFKC", text).split()


def fingerprint(text: str) -> str:
    """A hash of the words of ``text``: equal for copies that differ only in typography."""
    return hashlib.sha256(" ".join(_tokens(text)).encode("utf-8", "surrogatepass")).hexdigest()


def signature(text: str) -> np.ndarray:
    """The MinHash signature (``NUM_PERM`` unsigned 64-bit values) of the text's shingles."""
    from datasketch import MinHash

    tokens = _tokens(text)
    size = min(SHINGLE_WORDS, max(1, len(tokens)))
    shingles = {" ".join(tokens[i:i + size]).encode("utf-8", "surrogatepass") for i in range(max(1, len(tokens) - size + 1))}
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED)
    minhash.update_batch(list(shingles))
    return minhash.hashvalues.astype(np.uint64)


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.mean(a == b))


@dataclass(frozen=True)
class Banding:
    """How signatures are cut into LSH bands for a similarity threshold."""

    threshold: float
    bands: int
    rows: int

    def buckets(self, sig: np.ndarray) -> list[tuple[int, int]]:
        """(band, bucket) pairs: two signatures sharing one are candidate duplicates."""
        out = []
        for band in range(self.bands):
            chunk = sig[band * self.rows:(band + 1) * self.rows].tobytes()
            bucket = int.from_bytes(hashlib.blake2b(chunk, digest_size=8).digest(), "little", signed=True)
            out.append((band, bucket))
        return out


@lru_cache(maxsize=16)
def banding(threshold: float = DEFAULT_THRESHOLD) -> Banding:
    """The band layout that best separates pairs above and below ``threshold``."""
    if not 0.0 < threshold < 1.0:
        raise ValueError(f"near-duplicate threshold must be between 0 and 1, got {threshold}")
    from datasketch.lsh import _optimal_param

    bands, rows = _optimal_param(threshold, NUM_PERM, 0.5, 0.5)
    return Banding(threshold, bands, rows)


def to_bytes(sig: np.ndarray) -> bytes:
    """A signature as stored in the database."""
    return sig.astype("<u8").tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    """A signature read back from the database."""
    return np.frombuffer(data, dtype="<u8").astype(np.uint64)
