"""What a refused use case raises: each carries a message a person can act on, in Chinese."""

from __future__ import annotations

from diagnose.problems import Problem


class ServiceError(Exception):
    """Base of every refusal; ``str(error)`` is the message to show."""


class NotFound(ServiceError):
    """The record named does not exist, or its kept file has gone; the message names it."""


class ValidationFailed(ServiceError):
    """Bad input; ``problems`` name each field, row or answer."""

    def __init__(self, problems: list[Problem]):
        self.problems = tuple(problems)
        super().__init__("；".join(f"{p.place}：{p.message}" if p.place else p.message for p in problems))


class Conflict(ServiceError):
    """Someone else changed the same thing first; nothing was written."""


class NotEditable(ServiceError):
    """The record is in a state that does not allow this change."""


class SubmitRefused(ServiceError):
    """Submission refused; ``missing`` lists (item, what is wrong) for every gap."""

    def __init__(self, missing: list[tuple[str, str]]):
        self.missing = tuple(missing)
        super().__init__("无法提交，还有以下内容未完成：" + "；".join(text for _, text in missing))
