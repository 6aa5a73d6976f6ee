"""Platform API adapter: paged, incremental pulls of the datasets over HTTP, all or nothing per run (an endpoint added
in 2026 — kdmp, mentoring — that a platform does not offer answers 404 and is skipped)."""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timezone

import httpx
from sqlalchemy import Engine, select
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt

from ingest import locks
from warehouse.contract import API_ENDPOINTS, OPTIONAL_ENDPOINTS
from ingest.pipeline import RunResult, _finish, ingest_tables, start_run
from ingest.readers import StructuralError, table_from_records
from ingest.loader import Counts
from warehouse.models import SourceState

log = logging.getLogger(__name__)


class PlatformError(Exception):
    """The platform API could not deliver a complete, valid answer; the run loads nothing."""


class NotOffered(PlatformError):
    """The platform answers 404 for an endpoint: it does not offer that dataset."""


class RetryableStatus(Exception):
    def __init__(self, status: int, retry_after: float | None):
        super().__init__(f"HTTP {status}")
        self.status, self.retry_after = status, retry_after


@dataclass
class PlatformConfig:
    base_url: str
    token: str
    timeout: float = 15.0
    page_size: int = 1000
    max_pages: int = 2000  # guard against a server that never stops paging
    attempts: int = 5
    backoff: float = 0.5  # seconds, doubled per attempt
    max_backoff: float = 30.0
    max_retry_after: float = 120.0


def _is_retryable(exc: BaseException) -> bool:
    return isinstance(exc, (RetryableStatus, httpx.TimeoutException, httpx.TransportError))


def _wait(config: PlatformConfig):
    def wait(state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, RetryableStatus) and exc.retry_after is not None:
            return min(exc.retry_after, config.max_retry_after)
        return min(config.backoff * 2 ** (state.attempt_number - 1), config.max_backoff)

    return wait


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        from email.utils import parsedate_to_datetime

        try:
            return max(0.0, (parsedate_to_datetime(value) - datetime.now(timezone.utc)).total_seconds())
        except (TypeError, ValueError):
            return None


class PlatformClient:
    def __init__(self, config: PlatformConfig, client: httpx.Client | None = None):
        self.config = config
        self.client = client or httpx.Client(
            base_url=config.base_url.rstrip("/"), timeout=config.timeout,
            headers={"Authorization": f"Bearer {config.token}", "Accept": "application/json"},
        )

    def _log_retry(self, endpoint: str):
        """A warning per retry, in words an operator can act on (endpoint, cause, which retry, wait)."""
        def before_sleep(state: RetryCallState) -> None:
            exc = state.outcome.exception() if state.outcome else None
            cause = f"HTTP {exc.status}" if isinstance(exc, RetryableStatus) else type(exc).__name__
            log.warning("platform %s: %s; retry %d of %d in %.1f s", endpoint, cause, state.attempt_number,
                        self.config.attempts - 1, state.next_action.sleep if state.next_action else 0.0)
        return before_sleep

    def _get_page(self, endpoint: str, params: dict) -> dict:
        def call() -> dict:
            response = self.client.get(f"/v1/{endpoint}", params=params)
            if response.status_code == 429 or response.status_code >= 500:
                raise RetryableStatus(response.status_code, _retry_after(response))
            if response.status_code == 404:
                raise NotOffered(f"{endpoint}: the platform does not offer this endpoint (HTTP 404)")
            if response.status_code in (401, 403):
                raise PlatformError(f"{endpoint}: the platform refused the token (HTTP {response.status_code}); "
                                    "check PLATFORM_API_TOKEN")
            if response.status_code != 200:
                raise PlatformError(f"{endpoint}: unexpected HTTP {response.status_code}: {response.text[:200]}")
            try:
                body = response.json()
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                raise PlatformError(f"{endpoint} page {params.get('page_token') or 1}: the response is not valid "
                                    f"JSON ({exc})") from None
            if not isinstance(body, dict) or not isinstance(body.get("items"), list):
                raise PlatformError(f"{endpoint}: the response has no 'items' list")
            return body

        retrying = Retrying(retry=retry_if_exception(_is_retryable), stop=stop_after_attempt(self.config.attempts),
                            wait=_wait(self.config), reraise=True, before_sleep=self._log_retry(endpoint))
        try:
            return retrying(call)
        except RetryableStatus as exc:
            raise PlatformError(f"{endpoint}: still HTTP {exc.status} after {self.config.attempts} attempts") from None
        except httpx.TimeoutException:
            raise PlatformError(f"{endpoint}: timed out after {self.config.attempts} attempts "
                                f"({self.config.timeout:g} s each)") from None
        except httpx.TransportError as exc:
            raise PlatformError(f"{endpoint}: connection failed after {self.config.attempts} attempts ({exc})") from None

    def fetch(self, endpoint: str, updated_since: str | None) -> tuple[list[dict], str | None]:
        """Every item updated after `updated_since`, across all pages; returns (items, newest updated_at)."""
        items: list[dict] = []
        token, seen = None, set()
        for _page in range(self.config.max_pages):
            params = {"page_size": self.config.page_size}
            if updated_since:
                params["updated_since"] = updated_since
            if token:
                params["page_token"] = token
            body = self._get_page(endpoint, params)
            items.extend(body["items"])
            token = body.get("next_page_token")
            if not token:
                newest = max((str(i.get("updated_at")) for i in items if i.get("updated_at")), default=None)
                return items, newest
            if token in seen:
                raise PlatformError(f"{endpoint}: the server sent page token {token!r} twice; paging stopped")
            seen.add(token)
        raise PlatformError(f"{endpoint}: paging did not end after {self.config.max_pages} pages; run stopped")

    def close(self) -> None:
        self.client.close()


def run_platform(engine: Engine, config: PlatformConfig, source: str = "platform", refresh: bool = True) -> RunResult:
    """Pull every endpoint since the stored watermark and load it as one run; any failure loads nothing. With
    `refresh`, the scores of what it changed are recomputed afterwards."""
    target = f"{config.base_url.rstrip('/')}/v1"
    with locks.source_lock(engine, source) as held:
        if not held.acquired:
            raise locks.SourceBusy(source)
        with engine.connect() as conn:
            watermark = conn.execute(select(SourceState.watermark).where(SourceState.source == source)).scalar()
        run_id = start_run(engine, source, f"{target} (updated_since={watermark or 'start'})")
        client = PlatformClient(config)
        tables, newest = [], watermark
        try:
            for endpoint, dataset in API_ENDPOINTS.items():
                try:
                    items, latest = client.fetch(endpoint, watermark)
                except NotOffered:
                    if endpoint not in OPTIONAL_ENDPOINTS:
                        raise
                    log.info("platform: /v1/%s is not offered (404); skipped", endpoint)
                    continue
                if latest and (newest is None or latest > newest):
                    newest = latest
                tables.append(table_from_records(dataset, items, f"{target}/{endpoint}"))
        except (PlatformError, StructuralError) as exc:
            with engine.begin() as conn:
                _finish(conn, run_id, "failed", Counts(), str(exc))
            return RunResult(run_id, source, target, "failed", message=str(exc))
        finally:
            client.close()

        def keep_watermark(conn) -> None:
            locks.set_watermark(conn, source, newest)

        result = ingest_tables(engine, tables, source, target, run_id=run_id, extra_in_transaction=keep_watermark,
                               refresh=refresh)
        held.success = result.ok
        return result
