"""Same seed → identical data and byte-identical files; another seed → a different province."""
from __future__ import annotations

from datetime import date

import pandas as pd

from ingest.simulator import generate, write

from .conftest import AS_OF, SEED

SMALL_AS_OF = date(2019, 9, 10)  # nine monthly periods: quick to write, still every file type


def test_same_seed_gives_identical_dataframes(province):
    again = generate(seed=SEED, as_of=AS_OF)
    for name in ("cooperatives", "reports", "meetings", "digital", "registry_export", "faults", "truth"):
        pd.testing.assert_frame_equal(getattr(province, name), getattr(again, name), check_exact=True)
    assert province.rejected_files == again.rejected_files
    assert province.platform_niks == again.platform_niks


def test_same_seed_gives_byte_identical_files_and_another_seed_different_ones(tmp_path):
    first = write(generate(seed=11, as_of=SMALL_AS_OF), tmp_path / "a")
    second = write(generate(seed=11, as_of=SMALL_AS_OF), tmp_path / "b")
    assert first.files == second.files
    assert (tmp_path / "a" / "manifest.json").read_bytes() == (tmp_path / "b" / "manifest.json").read_bytes()
    assert any(name.endswith(".xlsx") for name in first.files) and any(name.endswith(".csv") for name in first.files)

    other = write(generate(seed=12, as_of=SMALL_AS_OF), tmp_path / "c")
    with_rows = {k for k, v in first.files.items() if v["rows"] > 0}
    common = with_rows & {k for k, v in other.files.items() if v["rows"] > 0}
    assert len(common) > 20
    assert all(first.files[k]["sha256"] != other.files[k]["sha256"] for k in common)


def test_a_later_as_of_reveals_more_of_the_same_history():
    early = generate(seed=5, as_of=date(2021, 3, 1), fault_rate=0)
    late = generate(seed=5, as_of=date(2022, 3, 1), fault_rate=0)
    # the registry founded before 2021 is the same cooperatives with the same names
    old = early.cooperatives[["nik", "name", "type", "regency_code"]]
    assert old.merge(late.cooperatives[["nik", "name", "type", "regency_code"]], how="left", indicator=True)["_merge"].eq("both").all()
    # the true books of a month are the same whenever they are looked at
    month = pd.Timestamp("2020-06-30")
    a = early.truth[early.truth["period_end"] == month].set_index("nik")["total_assets"]
    b = late.truth[late.truth["period_end"] == month].set_index("nik")["total_assets"].reindex(a.index)
    assert (a == b).all()
