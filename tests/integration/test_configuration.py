"""Configuration from the environment: the database URL and the policy file."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.settings import ConfigError, Settings, load_policy
from domain.channels import Channel
from domain.errors import StorageError, ValidationError
from domain.storage import Database


def test_without_a_url_the_ledger_is_an_sqlite_file_in_the_working_directory() -> None:
    settings = Settings.from_environ({})
    assert settings.database.is_sqlite
    assert settings.database.sqlite_path == Path("ledger.sqlite")


def test_a_postgres_url_maps_to_the_librarys_settings_with_its_schema() -> None:
    env = Database.parse(
        "postgresql+psycopg://clerk:pw@db.local:6543/ledger?schema=zone"
    ).eventsourcing_env()
    assert env["PERSISTENCE_MODULE"] == "domain.signed_postgres:SignedPostgresFactory"
    assert (env["POSTGRES_HOST"], env["POSTGRES_PORT"], env["POSTGRES_DBNAME"]) == (
        "db.local",
        "6543",
        "ledger",
    )
    assert (env["POSTGRES_USER"], env["POSTGRES_PASSWORD"], env["POSTGRES_SCHEMA"]) == (
        "clerk",
        "pw",
        "zone",
    )


@pytest.mark.parametrize("url", ["nonsense", "mysql://x/y", "sqlite://"])
def test_a_url_the_ledger_cannot_use_is_refused_by_name(url: str) -> None:
    with pytest.raises(StorageError, match="LEDGER_DATABASE_URL"):
        Database.parse(url)


def test_an_sqlite_file_in_a_missing_directory_is_refused(tmp_path: Path) -> None:
    database = Database.parse(f"sqlite:///{tmp_path}/absent/ledger.sqlite")
    with pytest.raises(StorageError, match="no directory"):
        database.eventsourcing_env()


def test_a_policy_file_overrides_only_the_values_it_gives(tmp_path: Path) -> None:
    override = tmp_path / "policy.toml"
    override.write_text("[channels.hotline_12345]\nclose = 3\n", encoding="utf-8")
    policy = load_policy(override)
    assert policy.limits(Channel.HOTLINE_12345).close == 3
    assert policy.limits(Channel.HOTLINE_12345).max_extension == 10
    assert policy.limits(Channel.GOOD_BAD_REVIEW).close == 15
    assert policy.max_backdate_days == 30


def test_the_defaults_are_the_limits_from_practice() -> None:
    policy = load_policy()
    hotline = policy.limits(Channel.HOTLINE_12345)
    assert (hotline.sign_for, hotline.return_, hotline.close, hotline.max_extension) == (
        1,
        2,
        5,
        10,
    )
    assert policy.limits(Channel.GOOD_BAD_REVIEW).close == 15
    assert policy.limits(Channel.MEDIA).first_reply == 5
    assert policy.limits(Channel.MEDIA).close == 20
    assert policy.yellow_within_working_days == 3


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[channels.media]\nclose = -1\n", "policy.channels.media.close"),
        ("[lights]\nyellow_within_working_days = 'soon'\n", "yellow_within_working_days"),
        ("[nonsense]\nx = 1\n", "policy.nonsense"),
    ],
)
def test_a_bad_policy_value_is_refused_naming_the_setting(
    tmp_path: Path, text: str, problem: str
) -> None:
    override = tmp_path / "policy.toml"
    override.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError, match=problem):
        load_policy(override)


def test_a_policy_file_that_is_missing_or_not_toml_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no file"):
        load_policy(tmp_path / "absent.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("[channels\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_policy(broken)


def test_the_environment_and_the_allowed_origins_are_read_with_the_rest_of_the_settings() -> None:
    settings = Settings.from_environ(
        {
            "LEDGER_ENV": " Development ",
            "LEDGER_ALLOWED_ORIGINS": "http://10.1.2.3:8000, ,https://screen.zone.gov.cn",
        }
    )
    assert settings.development and not settings.production
    assert settings.allowed_origins == ("http://10.1.2.3:8000", "https://screen.zone.gov.cn")


def test_without_allowed_origins_no_browser_origin_is_allowed() -> None:
    assert Settings.from_environ({}).allowed_origins == ()


def test_reading_the_settings_writes_no_key_file(tmp_path: Path) -> None:
    Settings.from_environ(
        {
            "LEDGER_PERSONAL_DATA_KEY_FILE": str(tmp_path / "ledger.key"),
            "LEDGER_SIGNING_KEY_FILE": str(tmp_path / "signing.pem"),
        }
    )
    assert list(tmp_path.iterdir()) == []
