"""Figures others published (``published.toml``): the provincial series of 2023 and of May 2025, and the KDMP the
province reported. Reference facts with their source, shown beside the dashboard's figures and never computed
from or merged into them."""
from __future__ import annotations

import functools
import tomllib
from pathlib import Path

PATH = Path(__file__).with_name("published.toml")


@functools.lru_cache(maxsize=1)
def load() -> dict:
    with PATH.open("rb") as fh:
        return tomllib.load(fh)


def series() -> list[dict]:
    """The published provincial series, oldest first."""
    return list(load()["series"])


def kdmp() -> dict:
    """The KDMP the province reported (3,442 = 3,137 desa + 305 kelurahan) and the national count."""
    return dict(load()["kdmp"])
