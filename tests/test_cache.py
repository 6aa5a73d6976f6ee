"""The query cache is keyed on the data version and shared by workers (files or Redis): another worker gets the
answer without querying, and a new ingest (a new version) is seen at once."""
import pytest

from warehouse import db, queries


@pytest.fixture(params=["files", "redis"])
def shared_cache(request, tmp_path):
    if request.param == "redis":
        import redis

        try:
            redis.Redis.from_url("redis://127.0.0.1:6379/15").ping()
        except redis.exceptions.ConnectionError:
            pytest.skip("no Redis on 127.0.0.1:6379")
        redis.Redis.from_url("redis://127.0.0.1:6379/15").flushdb()
        queries.configure_cache("redis://127.0.0.1:6379/15")
    else:
        queries.configure_cache("", tmp_path)
    yield request.param
    queries.configure_cache("memory")


def test_another_worker_reads_the_shared_answer_and_a_new_version_recomputes(engine, shared_cache):
    calls = []

    @queries.cached
    def regency_count(eng):
        calls.append(1)
        return len(queries.regencies.uncached(eng))

    assert regency_count(engine) == 22 and len(calls) == 1
    queries._LOCAL.clear()  # what a second worker process starts with
    assert regency_count(engine) == 22 and len(calls) == 1  # from the shared store, no query
    with engine.begin() as conn:
        db.bump_data_version(conn)
    assert regency_count(engine) == 22 and len(calls) == 2  # new data version: computed again


def test_a_broken_shared_store_costs_speed_not_the_answer(engine, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    queries.configure_cache("", blocker)
    try:
        assert len(queries.regencies(engine)) == 22
    finally:
        queries.configure_cache("memory")
