"""An argument parser that speaks Chinese: usage, help headings and every usage error of argparse.

argparse writes its own words in English ("usage:", "error: the following arguments are required").
``ChineseParser`` (the class of every command and subcommand) says them in Chinese; a message it
does not know is shown as argparse wrote it, after 错误：, rather than lost.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import NoReturn

TYPES = {"int": "整数", "float": "数字", "Path": "路径", "str": "文字"}

# argparse's messages (Python 3.11-3.13), most specific first: a pattern and its Chinese form
MESSAGES = (
    (r"the following arguments are required: (.+)", r"缺少必需的参数：\1"),
    (r"unrecognized arguments: (.+)", r"无法识别的参数：\1"),
    (r"one of the arguments (.+) is required", r"必须给出其中一个参数：\1"),
    (r"ambiguous option: (\S+) could match (.+)", r"选项 \1 有歧义，可能是：\2"),
    (r"argument (.+?): invalid choice: (.+?) \(choose from (.+)\)", r"参数 \1：没有 \2 这一项（可选：\3）"),
    (r"argument (.+?): invalid (\w+) value: (.+)", None),  # the type is named in Chinese, below
    (r"argument (.+?): expected one argument", r"参数 \1：需要一个值"),
    (r"argument (.+?): expected at most one argument", r"参数 \1：最多一个值"),
    (r"argument (.+?): expected at least one argument", r"参数 \1：至少一个值"),
    (r"argument (.+?): expected (\d+) arguments?", r"参数 \1：需要 \2 个值"),
    (r"argument (.+?): not allowed with argument (.+)", r"参数 \1：不能与 \2 同时使用"),
    (r"argument (.+?): ignored explicit argument (.+)", r"参数 \1：不接受值 \2"),
    (r"argument (.+?): (.+)", r"参数 \1：\2"),
)


def one_of(allowed: tuple[str, ...], what: str):
    """An argparse ``type``: the value when it is one of ``allowed`` (or empty), else a usage error
    that names ``what`` it should be and lists them."""

    def check(value: str) -> str:
        if value and value not in allowed:
            raise argparse.ArgumentTypeError(f"“{value}”不是{what}（可选：{'、'.join(allowed)}）")
        return value

    return check


def chinese(message: str) -> str:
    """argparse's usage error ``message`` in Chinese; unchanged when it is not one of those known."""
    for pattern, replacement in MESSAGES:
        found = re.fullmatch(pattern, message, flags=re.DOTALL)
        if not found:
            continue
        if replacement is None:
            name, kind, value = found.groups()
            return f"参数 {name}：{value} 不是有效的{TYPES.get(kind, kind)}"
        return found.expand(replacement)
    return message


class ChineseParser(argparse.ArgumentParser):
    """argparse.ArgumentParser whose usage, help headings and errors are in Chinese; an error exits 2."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        for action in self._actions:
            if isinstance(action, argparse._HelpAction):
                action.help = "显示本帮助并退出"

    def add_argument(self, *args, **kwargs):
        action = super().add_argument(*args, **kwargs)
        if isinstance(action, argparse._VersionAction):
            action.help = "显示版本号并退出"
        return action

    def format_usage(self) -> str:
        return _usage_in_chinese(super().format_usage())

    def format_help(self) -> str:
        return _usage_in_chinese(super().format_help())

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：错误：{chinese(message)}\n（查看用法：{self.prog} --help）\n")


def _usage_in_chinese(text: str) -> str:
    return re.sub(r"^usage: ", "用法：", text)
