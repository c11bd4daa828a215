"""Settings: defaults < config file < environment (DUTY_ROOM_*) < command-line options.

The config file is TOML at ``$DUTY_ROOM_CONFIG`` or the per-user config folder, for example::

    lang = "en"
    refresh_seconds = 1.0
    reveal_users = ["zhangwei"]

    [keymap]            # binding id = keys, as in Posting
    "petition.status" = "s,f2"
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from platformdirs import user_config_dir, user_data_dir
from pydantic import Field
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from store.deadlines import DeadlineRules
from store.dutylog import DutyRules
from store.market import FeeRules

APP_NAME = "duty-room"
# The units a case can be dispatched to besides grid workers (configurable: `units = [...]`).
DEFAULT_UNITS = ("综合执法队", "派出所", "市场监管所", "物业公司", "三位一体实践中心", "社区居委会")


def default_store_dir() -> Path:
    return Path(user_data_dir(APP_NAME)) / "store"


def default_demo_dir() -> Path:
    return Path(user_data_dir(APP_NAME)) / "demo"


def config_path() -> Path:
    return Path(os.environ.get("DUTY_ROOM_CONFIG") or Path(user_config_dir(APP_NAME)) / "config.toml")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DUTY_ROOM_", extra="forbid")

    store: Path = Field(default_factory=default_store_dir)
    lang: Literal["zh", "en"] = "zh"
    refresh_seconds: float = Field(default=0.5, ge=0.2, le=600)  # a ~200-byte manifest read
    keymap: dict[str, str] = Field(default_factory=dict)
    units: list[str] = Field(default_factory=lambda: list(DEFAULT_UNITS), min_length=1)  # 派单 to these units
    deadlines: DeadlineRules = Field(default_factory=DeadlineRules)  # also the school-day calendar
    fees: FeeRules = Field(default_factory=FeeRules)  # [fees.reduction_percent] disabled = 50
    duty: DutyRules = Field(default_factory=DutyRules)  # [duty]: shift change, incident report limits
    reveal_users: list[str] = Field(default_factory=list)
    read_only: bool = False  # a viewer: looks at everything, changes nothing
    lite: bool = False  # slow links: no animation, 10 fps, terminal palette, one panel at a time
    ascii: bool | None = None  # ASCII borders and bars; None: when the terminal is not UTF-8

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls, toml_file=config_path()))
