"""The filter grammar shared by every URL and command line: `kab`, `jenis`, `periode` (the pages' filters) and the
export-only `periode_dari`, `periode_sampai`, `tahun`, `kerangka`, `limit`, `offset`, as ONE pydantic model whose
rules give the bilingual `ExportError` the API answers with; the pages read the same model leniently."""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from indicators import vocabulary

FRAMEWORKS = vocabulary.SCORE_FRAMEWORKS
TYPES = vocabulary.COOP_TYPES
JSON_LIMIT_DEFAULT, JSON_LIMIT_MAX = 1000, 10000

# URL / CLI parameter names: the dashboard's own filter names (Indonesian, as links are shared among Dinas staff).
P_REGENCY, P_TYPE, P_PERIOD, P_FROM, P_TO, P_YEAR, P_FRAMEWORK = (
    "kab", "jenis", "periode", "periode_dari", "periode_sampai", "tahun", "kerangka")
P_SCOPE = "cakupan"  # the population: daerah (supervised by the regional government, the default) or semua
P_LIMIT, P_OFFSET = "limit", "offset"
PAGING = (P_LIMIT, P_OFFSET)
RANGE = (P_PERIOD, P_FROM, P_TO)
KNOWN = (P_REGENCY, P_TYPE, P_SCOPE, P_PERIOD, P_FROM, P_TO, P_YEAR, P_FRAMEWORK, *PAGING)
SCOPES = vocabulary.SCOPES


class ExportError(ValueError):
    """A request the export refuses: which parameter, which value, which rule (English and Indonesian)."""

    def __init__(self, parameter: str, value, rule: str, aturan: str, status: int = 400):
        self.parameter, self.value, self.rule, self.aturan, self.status = parameter, value, rule, aturan, status
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return f"parameter '{self.parameter}' = '{self.value}': {self.rule}"

    @property
    def pesan(self) -> str:
        return f"parameter '{self.parameter}' = '{self.value}': {self.aturan}"

    def as_dict(self) -> dict:
        return {"error": self.message, "pesan": self.pesan, "parameter": self.parameter, "value": self.value,
                "rule": self.rule}


def _refuse(rule: str, aturan: str) -> PydanticCustomError:
    """A broken rule, carried through pydantic with both languages (turned into an `ExportError` by `read`)."""
    return PydanticCustomError("export_rule", "{rule}", {"rule": rule, "aturan": aturan})


_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def month_end(year: int, month: int) -> date:
    return (date(year, month, 1) + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def month_key(value: date | None) -> str | None:
    return value.strftime("%Y-%m") if value else None


def _month(raw: str) -> date:
    match = _MONTH.match(raw)
    if not match or not (1 <= int(match.group(2)) <= 12) or not (1900 <= int(match.group(1)) <= 2100):
        raise _refuse("must be a month as YYYY-MM (e.g. 2026-09)", "harus berupa bulan YYYY-MM (mis. 2026-09)")
    return month_end(int(match.group(1)), int(match.group(2)))


def _whole(raw: str, lo: int, hi: int) -> int:
    if not re.fullmatch(r"\d{1,9}", raw) or not (lo <= int(raw) <= hi):
        raise _refuse(f"must be a whole number from {lo} to {hi}", f"harus bilangan bulat dari {lo} sampai {hi}")
    return int(raw)


def _one_of(raw: str, allowed: tuple[str, ...]) -> str:
    if raw not in allowed:
        raise _refuse(f"must be one of: {', '.join(allowed)}", f"harus salah satu dari: {', '.join(allowed)}")
    return raw


class FilterParams(BaseModel):
    """The validated filters of one request. Values arrive as text (a URL, a command line); empty or blank counts as
    not given (a cleared drop-down). The fields are checked in the order below and the first broken rule is the one
    reported, so the order is part of the answer. Validation context `allow_province=True` lets `kab` be the
    province's own code 53 (only the kabupaten/province roll-ups have such a row)."""

    model_config = ConfigDict(frozen=True, extra="forbid", validate_by_alias=True, validate_by_name=False)

    single_period: bool = False  # set from the input: `periode` (one month) was given rather than a range
    regency: str | None = Field(None, alias=P_REGENCY)
    type: str | None = Field(None, alias=P_TYPE)
    scope: str | None = Field(None, alias=P_SCOPE)
    framework: str | None = Field(None, alias=P_FRAMEWORK)
    year: int | None = Field(None, alias=P_YEAR)
    # A range given with `periode` is refused on the range's parameter before `periode` itself is read.
    period_from: date | None = Field(None, alias=P_FROM)  # month ends, inclusive
    period_to: date | None = Field(None, alias=P_TO)
    period: date | None = Field(None, alias=P_PERIOD)
    limit: int | None = Field(None, alias=P_LIMIT)
    offset: int = Field(0, alias=P_OFFSET)

    @model_validator(mode="before")
    @classmethod
    def _given(cls, data):
        if not isinstance(data, Mapping):
            return data
        given = {k: str(v).strip() for k, v in data.items() if k in KNOWN and v is not None and str(v).strip()}
        given.update({k: v for k, v in data.items() if k not in KNOWN})  # left for extra="forbid" to refuse
        given["single_period"] = P_PERIOD in given
        return given

    @field_validator("regency", mode="before")
    @classmethod
    def _regency(cls, raw: str, info: ValidationInfo) -> str:
        if raw == vocabulary.PROVINCE_CODE and (info.context or {}).get("allow_province"):
            return raw  # the province's own roll-up row
        if raw not in vocabulary.REGENCY_CODES:
            raise _refuse("must be one of the 22 NTT Kemendagri codes 5301–5321, 5371",
                          "harus salah satu dari 22 kode Kemendagri NTT 5301–5321, 5371")
        return raw

    @field_validator("type", mode="before")
    @classmethod
    def _type(cls, raw: str) -> str:
        return _one_of(raw, TYPES)

    @field_validator("scope", mode="before")
    @classmethod
    def _scope(cls, raw: str) -> str:
        return _one_of(raw, SCOPES)

    @field_validator("framework", mode="before")
    @classmethod
    def _framework(cls, raw: str) -> str:
        return _one_of(raw, FRAMEWORKS)

    @field_validator("year", mode="before")
    @classmethod
    def _year(cls, raw: str) -> int:
        return _whole(raw, 1900, 2100)

    @field_validator("period_from", "period_to", mode="before")
    @classmethod
    def _range_end(cls, raw: str, info: ValidationInfo) -> date:
        if info.data.get("single_period"):
            raise _refuse(f"cannot be combined with {P_PERIOD} (one month or a range)",
                          f"tidak dapat digabung dengan {P_PERIOD} (satu bulan atau rentang)")
        end = _month(raw)
        start = info.data.get("period_from")
        if info.field_name == "period_to" and start is not None and end < start:
            raise _refuse(f"must not be before {P_FROM} ({month_key(start)})",
                          f"tidak boleh sebelum {P_FROM} ({month_key(start)})")
        return end

    @field_validator("period", mode="before")
    @classmethod
    def _period(cls, raw: str) -> date:
        return _month(raw)

    @field_validator("limit", mode="before")
    @classmethod
    def _limit(cls, raw: str) -> int:
        return _whole(raw, 1, JSON_LIMIT_MAX)

    @field_validator("offset", mode="before")
    @classmethod
    def _offset(cls, raw: str) -> int:
        return _whole(raw, 0, 10**9)


_ORDER = {name: i for i, name in enumerate(f.alias or n for n, f in FilterParams.model_fields.items())}


def _problems(error: ValidationError) -> list[ExportError]:
    """The broken rules of a validation, in the model's order, each naming its parameter and the value given."""
    out = []
    for item in error.errors(include_url=False):
        name = str(item["loc"][0]) if item["loc"] else ""
        ctx = item.get("ctx") or {}
        rule, aturan = ctx.get("rule", item["msg"]), ctx.get("aturan", item["msg"])
        out.append(ExportError(name, item["input"], rule, aturan))
    return sorted(out, key=lambda p: _ORDER.get(p.parameter, len(_ORDER)))


def read(values: Mapping[str, str | None], allow_province: bool = False) -> FilterParams:
    """The parameters of a request (name → text), or the first broken rule as `ExportError` (400)."""
    try:
        return FilterParams.model_validate(values, context={"allow_province": allow_province})
    except ValidationError as error:
        raise _problems(error)[0] from None


def read_lenient(values: Mapping[str, str | None],
                 allow_province: bool = False) -> tuple[FilterParams, tuple[ExportError, ...]]:
    """The pages' reading of the same grammar: a value that breaks a rule is dropped (its default applies) and its
    `ExportError` returned, so the reader is told rather than refused."""
    values, refused = dict(values), []
    while True:
        try:
            return FilterParams.model_validate(values, context={"allow_province": allow_province}), tuple(refused)
        except ValidationError as error:
            problems = [p for p in _problems(error) if p.parameter in values]
            if not problems:
                raise
            refused += problems
            for problem in problems:
                del values[problem.parameter]


@dataclass(frozen=True)
class Selection:
    """A dataset and its validated filters: what every front end passes to `build`. Hashable (cache key)."""

    dataset: str
    regency: str | None = None
    type: str | None = None
    period_from: date | None = None  # month ends, inclusive
    period_to: date | None = None
    year: int | None = None
    framework: str | None = None
    single_period: bool = False  # given as `periode` (one month) rather than a range
    scope: str | None = None  # cakupan: None = the dataset's default (daerah where the dataset has populations)

    @classmethod
    def of(cls, dataset: str, params: FilterParams) -> Selection:
        start, end = (params.period, params.period) if params.single_period else (params.period_from,
                                                                                  params.period_to)
        return cls(dataset, params.regency, params.type, start, end, params.year, params.framework,
                   params.single_period, params.scope)

    @property
    def population(self) -> str:
        """The population asked for: `scope`, else the default (daerah)."""
        return self.scope or vocabulary.DEFAULT_SCOPE

    def params(self) -> dict[str, str]:
        """The canonical query parameters of this selection (without the dataset), in a fixed order."""
        out = {P_REGENCY: self.regency, P_TYPE: self.type, P_SCOPE: self.scope}
        if self.single_period:
            out[P_PERIOD] = month_key(self.period_from)
        else:
            out[P_FROM], out[P_TO] = month_key(self.period_from), month_key(self.period_to)
        out[P_YEAR] = str(self.year) if self.year is not None else None
        out[P_FRAMEWORK] = self.framework
        return {k: v for k, v in out.items() if v is not None}


@dataclass(frozen=True)
class Paging:
    limit: int | None = None
    offset: int = 0
