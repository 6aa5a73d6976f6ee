"""How the shared query cache stores an answer: pickled and signed with HMAC-SHA256 under a key derived from
SECRET_KEY. A pickle runs code when it is read, so an entry is unpickled only when its signature is right: whoever can
write into DATA_DIR/cache or reach the Redis server, but does not know SECRET_KEY, can spoil entries (they are then
read as misses and computed again) but never run code in the web process.

Used as the `serializer` of Flask-Caching's cachelib backends (FileSystemCache uses dump/load on a file, RedisCache
dumps/loads on bytes); no Flask or cachelib import is needed here.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import pickle
from typing import IO, Any

log = logging.getLogger(__name__)
_MAC = 32  # bytes of an HMAC-SHA256


class SignedPickle:
    def __init__(self, secret: str):
        self._key = hashlib.sha256(b"pantau query cache\0" + secret.encode()).digest()

    def _mac(self, body: bytes) -> bytes:
        return hmac.new(self._key, body, hashlib.sha256).digest()

    def dumps(self, value: Any, protocol: int = pickle.HIGHEST_PROTOCOL) -> bytes:
        body = pickle.dumps(value, protocol)
        return self._mac(body) + body

    def loads(self, data: bytes | None) -> Any:
        if not data or len(data) <= _MAC:
            return None
        mac, body = data[:_MAC], data[_MAC:]
        if not hmac.compare_digest(mac, self._mac(body)):
            log.warning("query cache: an entry with a wrong signature was ignored (written by someone else?)")
            return None
        try:
            return pickle.loads(body)
        except Exception:  # signed by us but unreadable (another version of a class): a miss
            return None

    def dump(self, value: Any, f: IO[bytes], protocol: int = pickle.HIGHEST_PROTOCOL) -> None:
        f.write(self.dumps(value, protocol))

    def load(self, f: IO[bytes]) -> Any:
        return self.loads(f.read())
