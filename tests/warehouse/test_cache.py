"""The query cache is keyed on the data version and shared by workers through Flask-Caching's store (files or Redis):
another worker gets the answer without querying, and a new ingest (a new version) is seen at once."""
import pytest

from warehouse import db, queries


def _worker(settings):
    """What a web worker does at start-up: build the app, which installs the shared store."""
    from app import create_app

    create_app(settings)


@pytest.fixture(params=["files", "redis"])
def shared_cache(request, db_url, settings_for, tmp_path):
    if request.param == "redis":
        import redis

        try:
            redis.Redis.from_url("redis://127.0.0.1:6379/15").ping()
        except redis.exceptions.ConnectionError:
            pytest.skip("no Redis on 127.0.0.1:6379")
        redis.Redis.from_url("redis://127.0.0.1:6379/15").flushdb()
        settings = settings_for(db_url, CACHE_URL="redis://127.0.0.1:6379/15")
    else:
        settings = settings_for(db_url, CACHE_URL="")
    yield settings
    queries.use_store(None)


def counting_query():
    """A cached query that counts how often it really ran: (the query, the list of its runs)."""
    calls = []

    @queries.cached
    def regency_count(eng):
        calls.append(1)
        return len(queries.regencies.uncached(eng))

    return regency_count, calls


def test_another_worker_reads_the_shared_answer_and_a_new_version_recomputes(engine, shared_cache):
    regency_count, calls = counting_query()

    _worker(shared_cache)
    assert regency_count(engine) == 22 and len(calls) == 1
    _worker(shared_cache)  # a second worker process: its own (empty) local copy, the same shared store
    assert not queries._LOCAL
    assert regency_count(engine) == 22 and len(calls) == 1  # from the shared store, no query
    with engine.begin() as conn:
        db.bump_data_version(conn)
    assert regency_count(engine) == 22 and len(calls) == 2  # new data version: computed again


def test_a_broken_shared_store_costs_speed_not_the_answer(engine, db_url, settings_for, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    settings = settings_for(db_url, CACHE_URL="")
    settings = settings.model_copy(update={"DATA_DIR": blocker})
    try:
        from app import install_query_cache

        import flask

        install_query_cache(flask.Flask("worker"), settings)
        assert queries._SHARED is None
        assert len(queries.regencies(engine)) == 22
    finally:
        queries.use_store(None)


def test_memory_means_each_process_keeps_its_own_answers(db_url, settings_for):
    _worker(settings_for(db_url, CACHE_URL="memory"))
    assert queries._SHARED is None


class Planted:
    """A pickle that creates a file when it is loaded: what an attacker who can write the cache would plant."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        import pathlib

        return (pathlib.Path.touch, (pathlib.Path(self.marker),))


def test_a_planted_pickle_in_the_shared_store_is_never_loaded(engine, shared_cache, tmp_path):
    import pickle
    import struct

    regency_count, calls = counting_query()
    _worker(shared_cache)
    assert regency_count(engine) == 22 and len(calls) == 1
    marker = tmp_path / "code-ran"
    payload = pickle.dumps(Planted(marker))
    if shared_cache.CACHE_URL.startswith("redis://"):
        import redis

        client = redis.Redis.from_url(shared_cache.CACHE_URL)
        keys = client.keys("pantau:*")
        assert keys
        for key in keys:  # what cachelib's own serializer would load, and a signature made with another key
            client.set(key, b"!" + payload)
    else:
        files = [p for p in (shared_cache.DATA_DIR / "cache").iterdir() if p.is_file()]
        assert files
        for path in files:
            path.write_bytes(struct.pack("I", 0) + payload)
    _worker(shared_cache)  # a fresh worker reads the store
    assert regency_count(engine) == 22
    assert not marker.exists()  # the planted pickle never ran
    assert len(calls) == 2  # the spoiled entry was a miss and computed again
