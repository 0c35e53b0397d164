"""The workflow event payload -> a small context. The only place raw event JSON is indexed."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from applygate.core.binding import Source
from applygate.core.policy import Author
from applygate.core.trigger import Trigger
from applygate.errors import UsageError

PR_EVENTS = frozenset(
    {"pull_request", "pull_request_target", "pull_request_review", "pull_request_review_comment"}
)
# Events whose workflow file and inputs come from the pull request itself.
UNTRUSTED_WORKFLOW_EVENTS = frozenset(
    {"pull_request", "pull_request_review", "pull_request_review_comment"}
)


def untrusted_workflow_warning(event_name: str, command: str) -> str | None:
    """Why running ``command`` in this event's workflow proves nothing, or None when it may."""
    if event_name not in UNTRUSTED_WORKFLOW_EVENTS:
        return None
    return (
        f"{command} in a {event_name} workflow runs the pull request's own version of this "
        "workflow, its inputs and its files (criteria, steps): a status it publishes proves only "
        "what the pull request says. Run it on push, workflow_dispatch, issue_comment or "
        "pull_request_target with files from the base branch."
    )


@dataclass(frozen=True)
class TriggerComment:
    id: int
    body: str
    author: Author | None


@dataclass(frozen=True)
class EventContext:
    name: str
    pr_number: int | None = None
    on_plain_issue: bool = False
    comment: TriggerComment | None = None
    head_ref: str | None = None  # pull request events: the head branch (issue_comment has none)
    base_ref: str | None = None
    head_sha: str | None = None  # pull request events: the head commit (GITHUB_SHA is a merge)
    trigger: Trigger | None = None  # the comment or review that started the run, if one did


def author_of(user: Any, association: Any = "") -> Author | None:
    """A GitHub user object (from an event or a REST answer) -> Author; None for deleted users.
    ``association`` is the item's ``author_association``, when it has one."""
    if not isinstance(user, dict) or not isinstance(user.get("login"), str):
        return None
    login: str = user["login"]
    hint = association.upper() if isinstance(association, str) else ""
    return Author(login, user.get("type") == "Bot" or login.endswith("[bot]"), hint)


def load_event(name: str, path: str) -> EventContext:
    """Read the event file the runner wrote. Anything missing or malformed is a usage error."""
    if not path:
        raise UsageError(f"GITHUB_EVENT_PATH is not set, but GITHUB_EVENT_NAME is {name!r}")
    where = f"event file {path} (GITHUB_EVENT_PATH)"  # name the setting that points at it
    try:
        with open(path, encoding="utf-8") as handle:
            payload = json.load(handle)
    except OSError as error:
        raise UsageError(f"{where}: cannot be read ({error.strerror})") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise UsageError(f"{where}: not valid JSON ({error})") from None
    except RecursionError:
        raise UsageError(f"{where}: not valid JSON (nested too deeply)") from None
    if not isinstance(payload, dict):
        raise UsageError(f"{where}: the payload is not a JSON object")
    return parse_event(name, payload, where)


def parse_event(name: str, payload: dict[str, Any], path: str = "event") -> EventContext:
    if name == "issue_comment":
        issue = _object(payload, "issue", path)
        comment = _object(payload, "comment", path)
        number = _int(issue, "number", f"{path}: issue")
        body = comment.get("body")
        trigger = TriggerComment(
            _int(comment, "id", f"{path}: comment"),
            body if isinstance(body, str) else "",
            author_of(comment.get("user")),
        )
        started = Trigger(
            Source.PR_COMMENT,
            trigger.id,
            "comment",
            trigger.author.login if trigger.author else None,
        )
        if issue.get("pull_request") is None:
            return EventContext(name, None, on_plain_issue=True, comment=trigger, trigger=started)
        return EventContext(name, number, comment=trigger, trigger=started)
    if name in PR_EVENTS:
        pull = _object(payload, "pull_request", path)
        head = pull.get("head")
        sha = head.get("sha") if isinstance(head, dict) else None
        number = _int(pull, "number", f"{path}: pull_request")
        return EventContext(
            name,
            number,
            head_ref=_ref(pull, "head"),
            base_ref=_ref(pull, "base"),
            head_sha=sha.lower() if isinstance(sha, str) else None,
            trigger=_pull_trigger(name, payload, path),
        )
    return EventContext(name)


def _pull_trigger(name: str, payload: dict[str, Any], path: str) -> Trigger | None:
    """The review (pull_request_review) or review comment (pull_request_review_comment, never an
    approval source) that started the run."""
    if name == "pull_request_review":
        review = _object(payload, "review", path)
        author = author_of(review.get("user"))
        login = author.login if author else None
        return Trigger(Source.PR_REVIEW, _int(review, "id", f"{path}: review"), "review", login)
    if name == "pull_request_review_comment":
        comment = _object(payload, "comment", path)
        author = author_of(comment.get("user"))
        login = author.login if author else None
        return Trigger(None, _int(comment, "id", f"{path}: comment"), "review comment", login)
    return None


def _ref(pull: dict[str, Any], side: str) -> str | None:
    end = pull.get(side)
    ref = end.get("ref") if isinstance(end, dict) else None
    return ref if isinstance(ref, str) and ref else None


def _object(payload: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    value = payload.get(key)
    if not isinstance(value, dict):
        raise UsageError(f"{where}: '{key}' is missing or not an object")
    return value


def _int(payload: dict[str, Any], key: str, where: str) -> int:
    value = payload.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise UsageError(f"{where}: '{key}' is missing or not an integer")
    return value
