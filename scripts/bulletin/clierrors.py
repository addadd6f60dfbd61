"""Command-line errors in the editors' words: one Chinese line, exit status 1.

click reports a wrong option as ``Usage: … / Try … / Error: No such option``
in English with exit status 2, and a bug as a traceback. :class:`Group` runs
the commands with click's own handling off and turns every such failure into
``错误：…`` on one line of stderr and exit 1, as the README promises.
``BULLETIN_DEBUG=1`` shows the traceback of a bug instead.
"""

from __future__ import annotations

import os
import re
import sys

import click
from click import exceptions as ce

_CJK = re.compile(r"[\u3400-\u9fff]")


def _name(param: click.Parameter | None, hint=None) -> str:
    if isinstance(hint, str):
        return hint.strip("'\"")
    if param is None:
        return "参数"
    if isinstance(param, click.Option):
        return max(param.opts, key=len)
    return (param.human_readable_name or param.name or "参数").upper()


def _usage(ctx: click.Context | None) -> str:
    path = ctx.command_path if ctx is not None else "bulletin"
    return f"（{path} --help 查看用法）"


def _bad_value(exc: ce.BadParameter) -> str:
    name = _name(exc.param, exc.param_hint)
    if _CJK.search(exc.message):  # our own types already say what is wrong
        return exc.message if exc.message.startswith(name) else f"{name} {exc.message}"
    value = re.match(r"'(.*?)'", exc.message)
    got = f"，而不是 {value.group(0)}" if value else ""
    if exc.param is not None and isinstance(exc.param.type, click.Choice):
        return f"{name} 应为 {'、'.join(map(str, exc.param.type.choices))} 之一{got}"
    if exc.param is not None and isinstance(exc.param.type, (click.types.IntParamType, click.types.FloatParamType)):
        return f"{name} 应为数字{got}"
    return f"{name} 的值无效{got}"


def message(exc: click.ClickException) -> str:
    """The one line an editor reads for ``exc``."""
    ctx = getattr(exc, "ctx", None)
    if isinstance(exc, ce.MissingParameter):
        return f"缺少 {_name(exc.param, exc.param_hint)}{_usage(ctx)}"
    if isinstance(exc, ce.BadParameter):
        return _bad_value(exc)
    if isinstance(exc, ce.NoSuchOption):
        maybe = f"，是不是 {'、'.join(exc.possibilities)}？" if exc.possibilities else ""
        return f"没有 {exc.option_name} 这个选项{maybe}{_usage(ctx)}"
    if isinstance(exc, getattr(ce, "NoSuchCommand", ())):
        names = "、".join(sorted(ctx.command.list_commands(ctx))) if ctx is not None else ""
        return f"没有 {exc.command_name} 这个命令（可用的命令：{names}）"
    if isinstance(exc, ce.BadOptionUsage):
        if "requires an argument" in exc.message:
            return f"{exc.option_name} 后面需要一个值{_usage(ctx)}"
        if "does not take a value" in exc.message:
            return f"{exc.option_name} 不带值{_usage(ctx)}"
        return f"{exc.option_name} 用法有误{_usage(ctx)}"
    if isinstance(exc, ce.FileError):
        return f"无法打开文件 {exc.ui_filename}"
    if isinstance(exc, ce.UsageError):
        extra = re.match(r"Got unexpected extra arguments? \((.*)\)", exc.message)
        if extra:
            return f"多余的参数：{extra.group(1)}{_usage(ctx)}"
        if exc.message.startswith("No such command"):
            return f"没有这个命令{_usage(ctx)}"
        return exc.message if _CJK.search(exc.message) else f"用法有误{_usage(ctx)}"
    return exc.format_message()


class Group(click.Group):
    """A click group whose every failure is one Chinese line and exit status 1."""

    def main(self, *args, standalone_mode: bool = True, **kwargs):
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            rv = super().main(*args, standalone_mode=False, **kwargs)
        except ce.NoArgsIsHelpError as exc:  # plain ``bulletin``: the help, not an error
            click.echo(exc.format_message())
            sys.exit(0)
        except click.ClickException as exc:
            click.echo(f"错误：{message(exc)}", err=True)
            sys.exit(1)
        except click.Abort:
            click.echo("错误：已中断", err=True)
            sys.exit(1)
        except Exception as exc:  # noqa: BLE001  a bug: still one line, never a traceback
            if os.environ.get("BULLETIN_DEBUG"):
                raise
            click.echo(f"错误：程序出错（{type(exc).__name__}: {exc}）；这是程序缺陷，请附上所用命令报告"
                       "（设置 BULLETIN_DEBUG=1 可看到详细信息）", err=True)
            sys.exit(1)
        sys.exit(rv if isinstance(rv, int) and not isinstance(rv, bool) else 0)
