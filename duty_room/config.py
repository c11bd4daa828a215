"""Settings, and which source may set which of them (README: Configuration).

The system file (root's alone, refused otherwise) sets everything, and alone the security keys and
the office rules every desk must share. The user's file, the environment and the command line change
presentation only (and may ask for read-only, which only takes rights away): a security or office key
there is refused by name, never silently ignored.
"""

# No `from __future__ import annotations`: string annotations cost each start (see store/models.py).
import errno
import json
import os
import pwd
import re
import stat
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, NamedTuple, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from duty_room import words
from store.deadlines import DeadlineRules
from store.dutylog import DutyRules
from store.errors import environment_error
from store.market import FeeRules
from store.masking import REVEAL_GROUP, group_rule, reveal_rule
from store.models import empty_list
from store.storage import Store, StoreError, default_actor, resolve_actor

APP_NAME = "duty-room"
# The units a case can be dispatched to besides grid workers (configurable: `units = [...]`).
DEFAULT_UNITS = ("综合执法队", "派出所", "市场监管所", "物业公司", "三位一体实践中心", "社区居委会")

PRESENTATION_KEYS = frozenset({"lang", "lite", "refresh_seconds", "keymap", "ascii", "read_only"})
SECURITY_KEYS = frozenset(
    {
        "store",
        "reveal_users",
        "reveal_groups",
        "read_only_users",
        "read_only_groups",
        "service_account",
        "export_dir",
        "backup_dir",
        "import_dir",
        "backup_keep",
        "backup_min_free_mb",
    }
)
OFFICE_KEYS = frozenset({"units", "deadlines", "fees", "duty"})
SYSTEM_KEYS = PRESENTATION_KEYS | SECURITY_KEYS | OFFICE_KEYS
DEFAULT_BACKUP_DIR = Path("/var/backups/duty-room")  # where the README's cron line has always put them
CLOCK_ENV = "DUTY_ROOM_NOW"  # no longer read: refused, so nobody believes the clock was moved


class SystemFile(NamedTuple):
    """Where the system config lives and who must own it. Changed only from Python (tests): no
    option or environment variable, so a user cannot point it at a file of their own."""

    path: Path = Path("/etc/duty-room/config.toml")
    owner_uid: int = 0


SYSTEM_FILE = SystemFile()


class ConfigError(Exception):
    """A configuration refused: one line for a person."""


class _Bad(ConfigError):
    """A setting refused where the interface language is not known yet: ``load_settings`` says it."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


def user_folder(xdg_variable: str, in_home: str) -> Path:
    """The app's folder of the user's data (``XDG_DATA_HOME``, ``.local/share``) or config
    (``XDG_CONFIG_HOME``, ``.config``), where platformdirs puts it on Linux: the variable if it
    is an absolute path, else that folder of the home folder (``HOME``, when absolute; else the
    account's). Found here: importing platformdirs (its classes, and tempfile) cost every start,
    `summary`'s among them, ~16 M instructions (tests/test_cli.py's
    ``test_the_user_folders_are_where_platformdirs_puts_them`` holds the two to agree)."""
    given = os.environ.get(xdg_variable, "")
    if os.path.isabs(given):
        return Path(given) / APP_NAME
    home = os.environ.get("HOME", "")
    if not os.path.isabs(home):
        home = pwd.getpwuid(os.getuid()).pw_dir
    return Path(home) / in_home / APP_NAME


def default_store_dir() -> Path:
    return user_folder("XDG_DATA_HOME", ".local/share") / "store"


def default_demo_dir() -> Path:
    return user_folder("XDG_DATA_HOME", ".local/share") / "demo"


def config_path() -> Path:
    """The user's config file (presentation only)."""
    return Path(os.environ.get("DUTY_ROOM_CONFIG") or user_folder("XDG_CONFIG_HOME", ".config") / "config.toml")


ENV_PREFIX = "DUTY_ROOM_"


def env_variable(key: str) -> str:
    """The environment variable of a setting (refresh_seconds: DUTY_ROOM_REFRESH_SECONDS)."""
    return f"{ENV_PREFIX}{key.upper()}"


class Settings(BaseModel):
    """What the app runs with: built by `load_settings`, or directly (tests), reading nothing else.
    A plain model: pydantic-settings' import cost every start more than the few lines it saves."""

    model_config = ConfigDict(extra="forbid", validate_default=True)

    # presentation
    lang: Literal["zh", "en"] = "zh"
    refresh_seconds: float = Field(default=0.5, ge=0.2, le=600)  # a ~200-byte manifest read
    keymap: dict[str, str] = Field(default_factory=dict)
    lite: bool = False  # slow links: no animation, 10 fps, terminal palette, one panel at a time, no blink
    ascii: bool | None = None  # ASCII borders and bars; None: when the terminal is not UTF-8
    read_only: bool = False  # a viewer: looks at everything, changes nothing (effective value)
    # security (system file only)
    store: Path = Field(default_factory=default_store_dir)
    reveal_users: list[str] = Field(default_factory=empty_list)
    reveal_groups: list[str] = Field(default_factory=lambda: [REVEAL_GROUP])
    read_only_users: list[str] = Field(default_factory=empty_list)
    read_only_groups: list[str] = Field(default_factory=empty_list)
    service_account: str | None = None  # the OS account that owns the store; officers reach it by sudo
    # The service account's folders (see export_folder, backup_folder, import_folder).
    export_dir: Path | None = None
    backup_dir: Path | None = None
    import_dir: Path | None = None
    # The backups officers take through sudo kept (not the cron copies), and the MB one must leave free.
    backup_keep: int = Field(default=3, ge=1, le=1000)
    backup_min_free_mb: int = Field(default=1024, ge=0)
    # office rules (system file only)
    units: list[str] = Field(default_factory=lambda: list(DEFAULT_UNITS), min_length=1)  # 派单 to these units
    deadlines: DeadlineRules = Field(default_factory=DeadlineRules)  # also the school-day calendar
    fees: FeeRules = Field(default_factory=FeeRules)  # [fees.reduction_percent] disabled = 50
    duty: DutyRules = Field(default_factory=DutyRules)  # [duty]: shift change, incident report limits
    # resolved by load_settings, never read from a file or the environment
    actor: str = Field(default_factory=default_actor)
    actor_rule: str = "os-account"
    read_only_rule: str | None = None
    sources: list[str] = Field(default_factory=empty_list)
    as_service: bool = False  # this process is the configured service account

    def reveal_rule(self, actor: str | None = None) -> str | None:
        """Why ``actor`` (default: the one acting) may see unmasked data, or None."""
        return reveal_rule(actor or self.actor, self.reveal_users, self.reveal_groups)

    def may_reveal(self, actor: str | None = None) -> bool:
        return self.reveal_rule(actor) is not None

    def reveals_to(self, actor: str) -> bool:
        """Whether ``actor`` is offered personal data unmasked: the system file's rule, never in a
        read-only session (a reveal writes the audit log)."""
        return not self.read_only and self.may_reveal(actor)

    @property
    def export_folder(self) -> Path | None:
        """As the service account, the one folder exports go in; None: one's own account writes
        where it is told."""
        return self._service_folder(self.export_dir, self.store.parent / "exports")

    @property
    def backup_folder(self) -> Path | None:
        """As the service account, the one folder `backup` writes and `restore` reads (default: the
        README's cron folder); None: one's own account backs up where it is told."""
        return self._service_folder(self.backup_dir, DEFAULT_BACKUP_DIR)

    @property
    def import_folder(self) -> Path | None:
        """As the service account, the folder `import` reads (each officer's own folder in it);
        None: one's own account reads what it can."""
        return self._service_folder(self.import_dir, self.store.parent / "imports")

    def _service_folder(self, configured: Path | None, default: Path) -> Path | None:
        return (configured or default) if self.as_service else None

    def open_store(self, *, read_once: bool = False) -> Store:
        """The store as this session may use it: stamped with the actor, read-only for a viewer. A
        file where its folder should be is the store unreachable (exit 2), not a usage slip."""
        if self.store.exists() and not self.store.is_dir():
            raise environment_error(OSError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(self.store)))
        return Store(self.store, actor=self.actor, read_only=self.read_only, read_once=read_once)


def asked_lang(option: object = None) -> words.Lang:
    """The language a refusal of the settings can use: ``--lang``, else ``DUTY_ROOM_LANG``; anything but en is Chinese."""
    return "en" if (option or os.environ.get("DUTY_ROOM_LANG")) == "en" else "zh"


def _say(message: str, lang: str, **values: object) -> str:
    return words.t(message, lang if lang in ("zh", "en") else "zh").format(**values)  # type: ignore[arg-type]


def _read_system(system: SystemFile, lang: str) -> dict[str, Any] | None:
    """The system file's settings, or None when there is none. Refused unless only root can change it."""
    path = system.path
    if not path.exists():
        return None
    for checked in (path, path.parent):
        info = checked.stat()
        if info.st_uid != system.owner_uid:
            raise ConfigError(
                _say("config.untrusted", lang, path=checked, why=f"uid {info.st_uid} ≠ {system.owner_uid}")
            )
        if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            raise ConfigError(_say("config.untrusted", lang, path=checked, why=stat.filemode(info.st_mode)))
    values = _read_toml(path)
    unknown = sorted(set(values) - SYSTEM_KEYS)
    if unknown:
        raise _Bad("config.unknown_key", where=path, name=unknown[0])
    return values


def _field_name(key: str) -> str:
    """A setting's name in any case -> the field's own; no setting's name stays as it is (refused by name)."""
    return _FIELDS_BY_LOWER.get(key.lower(), key)


_FIELDS_BY_LOWER = {name.lower(): name for name in Settings.model_fields}


def _read_toml(path: Path) -> dict[str, Any]:
    """A TOML file's keys ({} when there is none), each setting under its field's name."""
    try:
        if not path.expanduser().exists():
            return {}
        text = path.expanduser().read_text(encoding="utf-8")  # a folder: 不是文件（EISDIR）, not ignored
    except UnicodeDecodeError:
        raise _Bad("config.not_utf8", where=path) from None
    except OSError as exc:  # said in the language asked for, like any store fault
        raise _Bad("config.bad", where=path, why=environment_error(exc).why) from None
    import tomllib  # here: most starts find no configuration file

    try:
        values = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:  # "Illegal character '\n' (at line 1, column 11)": where, in words
        at = re.search(r"at line (\d+), column (\d+)", str(exc)) or re.search(r"at line (\d+)()", str(exc))
        line, column = at.groups() if at else ("?", "?")
        detail = str(exc).split(" (at line")[0]
        raise _Bad("config.not_toml", where=path, line=line, column=column or "?", detail=detail) from None
    return {_field_name(key): value for key, value in values.items()}


def _is_structured(annotation: Any) -> bool:
    """A list, a dict or a model (or one of them or None): given in the environment as JSON."""
    if get_origin(annotation) in (list, dict):
        return True
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_is_structured(arg) for arg in get_args(annotation) if isinstance(arg, type) or get_origin(arg))


def _read_environment() -> dict[str, Any]:
    """``DUTY_ROOM_<SETTING>`` (any case) for every setting there is; other ``DUTY_ROOM_*`` names are not settings.
    A presentation setting set empty (``export DUTY_ROOM_READ_ONLY=`` left blank) is no setting, as
    pydantic-settings' ``env_ignore_empty``; any other stays, to be refused by name (nobody believes
    ``DUTY_ROOM_REVEAL_USERS=`` cleared the list)."""
    found: dict[str, Any] = {}
    for name, value in os.environ.items():
        field = _FIELDS_BY_LOWER.get(name[len(ENV_PREFIX) :].lower())
        if (
            name.upper().startswith(ENV_PREFIX)
            and field is not None
            and (value.strip() or field not in PRESENTATION_KEYS)
        ):
            found[field] = value
    return found


# DUTY_ROOM_* names read, or refused, other than a setting's.
OTHER_ENV = frozenset({"DUTY_ROOM_CONFIG", CLOCK_ENV})


def unknown_environment() -> list[str]:
    """``DUTY_ROOM_*`` names that are no setting (DUTY_ROOM_TZ, a misspelt DUTY_ROOM_LANGUAGE): not
    read, so said (cli.py), or the officer believes they took effect."""
    return sorted(
        name
        for name in os.environ
        if name.upper().startswith(ENV_PREFIX)
        and name.upper() not in OTHER_ENV
        and name[len(ENV_PREFIX) :].lower() not in _FIELDS_BY_LOWER
    )


def unknown_environment_note(lang: words.Lang) -> str:
    """The one line naming them (注意：环境变量 DUTY_ROOM_TZ 不是设置项，未读取), "" if none: said by a
    command on stderr and by the dashboard in its status line, over which the screen is drawn."""
    unknown = unknown_environment()
    return words.t("config.unknown_env", lang).format(names=" ".join(unknown)) if unknown else ""


def _parse_environment(values: dict[str, Any]) -> dict[str, Any]:
    parsed: dict[str, Any] = {}
    for field, value in values.items():
        if _is_structured(Settings.model_fields[field].annotation):
            try:
                value = json.loads(value)
            except ValueError:
                raise _Bad("config.not_json", where=env_variable(field), value=value) from None
        parsed[field] = value
    return parsed


def _system_only(key: str, named: str, source: str, system: SystemFile, lang: str) -> ConfigError:
    """A key only the system file sets, said as what it is: an office rule every desk must share
    (deadlines, fees, the duty clocks) or a security setting (who may reveal, the store)."""
    kind = "config.office_key" if key in OFFICE_KEYS else "config.security_key"
    return ConfigError(_say(kind, lang, key=named, source=source, system=system.path))


def _presentation_only(values: dict[str, Any], source: str, system: SystemFile, lang: str) -> dict[str, Any]:
    for key in sorted(values):
        if key not in PRESENTATION_KEYS:
            if key in SYSTEM_KEYS:
                raise _system_only(key, key, source, system, lang)
            raise _Bad("config.unknown_key", where=source, name=key)
    return values


def _wants_read_only(value: object, where: str) -> bool:
    try:
        return bool(TypeAdapter(bool).validate_python(value))
    except ValidationError:
        raise _Bad("config.not_bool", where=where, value=value) from None


def load_settings(
    options: dict[str, Any] | None = None,
    *,
    system: SystemFile | None = None,
    option_names: Mapping[str, str] | None = None,
) -> Settings:
    """Settings from the system file, the user's file, the environment and the command line's ``options``
    (``option_names``: each one's option as typed, ``--refresh`` for refresh_seconds, to name a bad one)."""
    options = {key: value for key, value in (options or {}).items() if value is not None}
    lang = asked_lang(options.get("lang"))
    try:
        return _load_settings(options, system or SYSTEM_FILE, lang, option_names or {})
    except _Bad as bad:  # in the language asked for (a bad language itself is said in Chinese)
        values = {name: value(lang) if callable(value) else value for name, value in bad.values.items()}
        raise ConfigError(_say(bad.key, lang, **values)) from None


def _load_settings(
    options: dict[str, Any], system: SystemFile, lang: words.Lang, option_names: Mapping[str, str]
) -> Settings:
    if any(name.upper() == CLOCK_ENV for name in os.environ):  # duty_room_now too: settings are read in any case
        raise ConfigError(_say("config.clock", lang))

    system_values = _read_system(system, lang)
    user_path = config_path()
    user_values = _presentation_only(_read_toml(user_path), str(user_path), system, lang)
    env_values = _read_environment()
    for key in env_values:
        if key not in PRESENTATION_KEYS:  # refused by name, whatever its value
            raise _system_only(key, env_variable(key), words.t("config.environment", lang), system, lang)
    env_values = _parse_environment(env_values)
    cli_values = {key: value for key, value in options.items() if key != "store"}
    _presentation_only(cli_values, "command line", system, lang)

    def option(key: str) -> str:
        return option_names.get(key, "--" + key.replace("_", "-"))

    layers = [system_values or {}, user_values, env_values, cli_values]
    namers: list[Callable[[str, Sequence[str]], str]] = [  # each layer's: a value is named where it was given
        lambda key, rest: f"{system.path} {'.'.join((key, *rest))}",
        lambda key, rest: f"{user_path} {'.'.join((key, *rest))}",
        lambda key, rest: " ".join((env_variable(key), *rest)),
        lambda key, rest: " ".join((option(key), *rest)),
    ]
    sources = []
    if system_values is not None:
        sources.append(f"system {system.path}")
    if user_values:
        sources.append(f"user {user_path}")
    if env_values:
        sources.append("environment " + " ".join(env_variable(key) for key in sorted(env_values)))
    if options:
        sources.append("command line " + " ".join(option(key) for key in sorted(options)))
    merged = {key: value for layer in layers for key, value in layer.items()}
    opted_in = any(
        _wants_read_only(layer["read_only"], named("read_only", ()))
        for layer, named in zip(layers, namers, strict=True)
        if "read_only" in layer
    )
    try:
        settings = Settings(**merged)
    except ValidationError as exc:
        first = exc.errors()[0]
        key, *rest = [str(part) for part in first["loc"]] or [""]
        given_last = [named for layer, named in zip(layers, namers, strict=True) if key in layer][-1:]
        where = given_last[0](key, rest) if given_last else ".".join((key, *rest))
        raise _Bad("config.bad", where=where, why=words.validation_message(first, lang)) from None

    try:
        actor, actor_rule = resolve_actor(settings.service_account)
    except StoreError as exc:
        raise ConfigError(exc.message(lang)) from None
    as_service = settings.service_account is not None and actor_rule in ("sudo", "service-account-without-sudo")
    store = settings.store
    if "store" in options:
        if as_service and Path(options["store"]).resolve() != settings.store.resolve():
            raise ConfigError(_say("config.store_pinned", lang, account=settings.service_account, store=settings.store))
        store = Path(options["store"])
    if as_service and system_values is not None and "store" not in system_values:
        raise ConfigError(_say("config.no_store", lang, system=system.path))

    read_only_rule = None
    if system_values is not None and _wants_read_only(system_values.get("read_only", False), str(system.path)):
        read_only_rule = f"read_only = true in {system.path}"
    elif actor in settings.read_only_users:
        read_only_rule = "read_only_users"
    elif (group := group_rule(actor, settings.read_only_groups)) is not None:
        read_only_rule = f"read_only_groups: {group}"
    elif opted_in:
        read_only_rule = "asked for (--read-only, DUTY_ROOM_READ_ONLY or the user config)"
    return settings.model_copy(
        update={
            "store": store,
            "actor": actor,
            "actor_rule": actor_rule,
            "as_service": as_service,
            "read_only": read_only_rule is not None,
            "read_only_rule": read_only_rule,
            "sources": sources,
        }
    )
