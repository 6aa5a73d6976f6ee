"""Settings: defaults, resolution of relative paths, and a clear error naming the bad variable."""
import pytest

from settings import DEFAULT_SECRET_KEY, PROJECT_DIR, SettingsError, load_settings


def test_defaults_point_at_the_embedded_warehouse(monkeypatch):
    for name in ("DATABASE_URL", "DATA_DIR", "HOST", "PORT", "LANGUAGE", "SCHEDULER", "SECRET_KEY", "ENVIRONMENT"):
        monkeypatch.delenv(name, raising=False)
    s = load_settings()
    assert s.database_url == f"sqlite:///{PROJECT_DIR / 'data' / 'warehouse.db'}"
    assert (s.HOST, s.PORT, s.LANGUAGE, s.SCHEDULER) == ("127.0.0.1", 8050, "id", "embedded")
    assert s.DATA_DIR == PROJECT_DIR / "data"


def test_environment_variables_override(monkeypatch):
    monkeypatch.setenv("PORT", "9001")
    monkeypatch.setenv("LANGUAGE", "en")
    monkeypatch.setenv("DATA_DIR", "var/pantau")
    s = load_settings()
    assert s.PORT == 9001 and s.LANGUAGE == "en"
    assert s.DATA_DIR == PROJECT_DIR / "var" / "pantau"


@pytest.mark.parametrize(
    "name, value",
    [("PORT", "delapan"), ("PORT", "70000"), ("LANGUAGE", "fr"), ("SCHEDULER", "sometimes"),
     ("DATABASE_URL", "mysql://x/y"), ("SECRET_KEY", "short")],
)
def test_a_bad_value_stops_start_up_naming_the_variable(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as exc:
        load_settings()
    assert f"{name}={value!r}" in str(exc.value)


def test_production_refuses_the_default_secret(monkeypatch):
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.setenv("SECRET_KEY", DEFAULT_SECRET_KEY)
    with pytest.raises(SettingsError, match="SECRET_KEY"):
        load_settings()
    monkeypatch.setenv("SECRET_KEY", "a-long-production-secret-of-enough-length")
    assert load_settings().ENVIRONMENT == "production"


def test_production_refuses_to_switch_access_control_off(monkeypatch):
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.setenv("SECRET_KEY", "a-long-production-secret-of-enough-length")
    monkeypatch.setenv("ACCESS_CONTROL", "off")
    with pytest.raises(SettingsError, match="ACCESS_CONTROL"):
        load_settings()
    monkeypatch.setenv("ACCESS_CONTROL", "on")
    assert load_settings().ACCESS_CONTROL == "on"
