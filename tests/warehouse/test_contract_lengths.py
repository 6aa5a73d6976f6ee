"""Every text column of the data contract is bounded by the length of the warehouse column that stores it, so an
over-long value is quarantined by validation on SQLite and PostgreSQL alike (never refused by PostgreSQL alone)."""
from warehouse.contract import ALL_DATASETS, max_length, stored_length


def test_every_text_column_has_a_length_rule_that_fits_its_warehouse_column():
    checked = 0
    for dataset in ALL_DATASETS.values():
        for col in dataset.columns:
            if col.kind != "text":
                continue
            stored = stored_length(dataset.name, col.name)
            assert stored is not None, f"{dataset.name}.{col.name}: no VARCHAR column found in the warehouse"
            assert max_length(col) is not None and max_length(col) <= stored, (dataset.name, col.name)
            checked += 1
    assert checked >= 15
    assert ALL_DATASETS["koperasi"].column("district").rules == (("max_length", 80), ("no_formula",))
