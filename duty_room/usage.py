"""Click's own usage errors said in the interface language, in one line like every other refusal,
with where to look next (``--help``), exit 1: not click's four lines of English."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from duty_room import words
from duty_room.config import asked_lang
from duty_room.words import Lang
from store.text import ascii_numerals, typed_whole

T = TypeVar("T")

ARGS = "duty_room.args"  # ctx.meta: the command line as given, to find the value a type refused
TYPED = "typed"  # a BadParameter's attribute: what was typed, kept by the type that refused it


def refused_as_typed(convert: Callable[[], T], typed: object) -> T:
    """``convert()``, and a refusal of it carrying what was typed (said by ``usage_line``): an
    argument's value cannot be found on the command line as an option's can."""
    try:
        return convert()
    except click.BadParameter as exc:
        setattr(exc, TYPED, str(typed))
        raise


def filled(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """A callback refusing an empty value (``--accept-missing ""``, an id from a variable unset) as
    empty, naming the option or argument: it was said as a gap in a sentence (``duty-room:  不是…``,
    ``没有这个案件：``) or taken as no value at all. ``None`` (not given) and tuples of them pass through."""
    for one in value if isinstance(value, tuple) else (value,):
        if isinstance(one, str) and not one.strip():
            exc = click.BadParameter("", ctx=ctx, param=param)
            setattr(exc, TYPED, one)
            raise exc
    return value


class Place(click.Path):
    """A path argument or option: an empty one (`export "$DIR"` with DIR unset) is refused, not made
    the working directory as click.Path makes it (export wrote its nine CSV files there)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(path_type=Path, **kwargs)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and not value.strip():
            refused_as_typed(lambda: self.fail(value, param, ctx), value)
        return super().convert(value, param, ctx)


class Choice(click.Choice):
    """One of a few words (--format md, --lang en), also typed in full-width letters (ｍｄ), as a
    store choice is read (``store.i18n.parse_member``)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        typed = unicodedata.normalize("NFKC", value).strip() if isinstance(value, str) else value
        return refused_as_typed(lambda: super(Choice, self).convert(typed, param, ctx), value)


class Number(click.types.FloatParamType):
    """A number option (--refresh ０．５): ASCII or full-width digits and a point, as ``Whole``; click's
    float() also read another script's digits (٠.٥), "nan", "inf" and 1_0. Its bounds are the settings'
    (a FloatRange with none printed ``[x<=None]`` in --help)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str):
            value = ascii_numerals(value).strip()
            if not _DECIMAL.fullmatch(value):
                self.fail(value, param, ctx)
        return super().convert(value, param, ctx)


_DECIMAL = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+")


class Whole(click.IntRange):
    """A whole-number option: ASCII digits or a Chinese input method's (３), as a form takes them
    (``store.text.typed_whole``). click's own int() also read another script's digits (٣, ३), a sign,
    an underscore (1_0) and spaces."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str):
            try:
                value = typed_whole(value)
            except ValueError:
                self.fail(value, param, ctx)
        return super().convert(value, param, ctx)


class UnknownCommand(click.UsageError):
    """A subcommand the group does not have (click says it only as an English sentence)."""

    def __init__(self, name: str, known: Sequence[str], ctx: click.Context) -> None:
        super().__init__(f"No such command {name!r}.", ctx)
        self.name = name
        self.known = list(known)


class CommandGroup(click.Group):
    """A group whose unknown subcommand is an ``UnknownCommand`` (said in words by ``usage_line``)."""

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError as exc:
            # click < 8.4 says it as a plain UsageError, 8.4+ as NoSuchCommand: the same slip
            if type(exc).__name__ in ("UsageError", "NoSuchCommand") and args and not args[0].startswith("-"):
                raise UnknownCommand(args[0], self.list_commands(ctx), ctx) from None
            raise

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            # Raised without its context (an option's missing value): point to the subcommand parsed.
            if exc.ctx is None and not hasattr(exc, "command_path"):
                sub = ctx.invoked_subcommand
                exc.command_path = f"{ctx.command_path} {sub}" if sub else ctx.command_path  # type: ignore[attr-defined]
            raise


def interface_lang(ctx: click.Context | None, args: Sequence[str] = ()) -> Lang:
    """The language of this run, even when the command line failed before the settings were read."""
    obj = ctx.find_root().obj if ctx is not None else None
    settings = (obj or {}).get("settings")
    if settings is not None:
        return settings.lang
    if ctx is not None:
        args = ctx.meta.get(ARGS, args)
    for i, arg in enumerate(args):
        value = args[i + 1] if arg == "--lang" and i + 1 < len(args) else arg.removeprefix("--lang=")
        if (arg == "--lang" or arg.startswith("--lang=")) and value in ("zh", "en"):
            return asked_lang(value)
    return asked_lang()


def usage_line(exc: click.UsageError, lang: Lang) -> str:
    """The one line for a usage error: what is wrong, in words, then where the usage is explained."""
    t = lambda key: words.t(key, lang)  # noqa: E731
    ctx = exc.ctx
    said = _what(exc, ctx, lang)
    command = ctx.command_path if ctx is not None else getattr(exc, "command_path", "duty-room")
    return said + t("cli.usage.help").format(f"{command} --help")


def _what(exc: click.UsageError, ctx: click.Context | None, lang: Lang) -> str:
    t = lambda key: words.t(key, lang)  # noqa: E731
    sep = words.t("punct.list", lang)
    if isinstance(exc, UnknownCommand):
        return t("cli.usage.no_such_command").format(name=exc.name, known=sep.join(exc.known))
    if isinstance(exc, click.MissingParameter) and exc.param is not None:
        if isinstance(exc.param, click.Option):
            return t("cli.usage.missing_option").format(_option_name(exc.param))
        return t("cli.usage.missing_argument").format(exc.param.human_readable_name)
    if isinstance(exc, click.NoSuchOption):
        said = t("cli.usage.no_such_option").format(exc.option_name)
        if exc.possibilities:
            said += t("cli.usage.did_you_mean").format(sep.join(sorted(exc.possibilities)))
        return said
    if isinstance(exc, click.BadOptionUsage):  # raised by the parser without its context: its words tell
        takes_none = "does not take a value" in exc.message
        return t("cli.usage.takes_no_value" if takes_none else "cli.usage.needs_value").format(exc.option_name)
    if isinstance(exc, click.BadParameter) and exc.param is not None:
        return _bad_value(exc.param, ctx, lang, getattr(exc, TYPED, None))
    extra = "Got unexpected extra argument"  # click's own words (Command.parse_args), the arguments in ( )
    if exc.message.startswith(extra) and "(" in exc.message:
        return t("cli.usage.extra").format(exc.message.split("(", 1)[1].rstrip(")"))
    return t("cli.usage.other").format(exc.message)


def _bad_value(param: click.Parameter, ctx: click.Context | None, lang: Lang, typed: str | None = None) -> str:
    """A value the option's type refused: what it must be, and what was typed (``typed``: as the type
    kept it, an argument's too) when it can be found."""
    t = lambda key: words.t(key, lang)  # noqa: E731
    name = _option_name(param) if isinstance(param, click.Option) else param.human_readable_name
    kind = param.type
    if isinstance(kind, click.Choice):
        said = t("cli.usage.choice").format(name=name, choices=t("punct.list").join(map(str, kind.choices)))
    elif isinstance(kind, click.IntRange) and kind.min is not None and kind.max is None:
        said = t("cli.usage.whole_at_least").format(name=name, min=kind.min)
    elif isinstance(kind, click.IntRange) and kind.min is not None:
        said = t("cli.usage.whole_between").format(name=name, min=kind.min, max=kind.max)
    elif isinstance(kind, click.types.IntParamType):
        said = t("cli.usage.whole").format(name)
    elif isinstance(kind, click.types.FloatParamType):
        said = t("cli.usage.number").format(name)
    elif isinstance(kind, click.DateTime):
        shape = kind.formats[0].replace("%Y", "YYYY").replace("%m", "MM").replace("%d", "DD")
        said = t("cli.usage.date").format(name=name, shape=shape)
    else:
        said = t("cli.usage.bad_value").format(name)
    value = typed if typed is not None else _refused_value(param, ctx)
    if value is not None and not value.strip():  # --store "" (a variable unset): said as empty
        return t("cli.usage.empty").format(name)
    return said if value is None else said + t("cli.usage.got").format(value)


def _option_name(option: click.Parameter) -> str:
    return max(option.opts, key=len) if option.opts else option.human_readable_name


def _refused_value(param: click.Parameter, ctx: click.Context | None) -> str | None:
    """What was typed for the option (``--days x`` or ``--days=x``) that its type refuses."""
    if ctx is None or not isinstance(param, click.Option):
        return None
    args: list[str] = ctx.meta.get(ARGS, [])
    typed = []
    for i, arg in enumerate(args):
        for opt in param.opts:
            if arg == opt and i + 1 < len(args):
                typed.append(args[i + 1])
            elif arg.startswith(opt + "="):
                typed.append(arg[len(opt) + 1 :])
    for value in typed:
        try:
            param.type.convert(value, param, ctx)
        except click.BadParameter:
            return value
    return None
