"""The national benchmark scale: ~127,000 cooperatives in 514 kabupaten/kota-sized units, 12 monthly periods."""
from __future__ import annotations

import os
import time
from datetime import date

import numpy as np
import pytest

from ingest.simulator import generate
from ingest.simulator.regencies import NTT_CODES, national_units

slow = pytest.mark.skipif(not os.environ.get("PANTAU_SLOW_TESTS"), reason="national scale takes ~20 s; set PANTAU_SLOW_TESTS=1")


def test_national_units_are_514_with_synthetic_codes_outside_ntt():
    units = national_units(np.random.default_rng(1))
    assert len(units) == 514 and units["code"].is_unique
    synthetic = units[~units["code"].isin(NTT_CODES)]
    assert len(synthetic) == 492 and not synthetic["code"].str.startswith("53").any()
    assert synthetic["name"].str.startswith("Unit Sintetis").all()


def test_unknown_scale_is_refused():
    with pytest.raises(ValueError):
        generate(scale="kabupaten")


@slow
def test_national_scale_generates_well_under_a_minute():
    start = time.perf_counter()
    nation = generate(seed=1, scale="national", as_of=date(2026, 7, 15))
    elapsed = time.perf_counter() - start
    assert elapsed < 45
    registered = (nation.cooperatives["status"] != "dissolved").sum()
    assert abs(registered - 127_000) < 2_000
    assert nation.cooperatives["regency_code"].nunique() == 514
    assert nation.reports["period_end"].nunique() == 12
