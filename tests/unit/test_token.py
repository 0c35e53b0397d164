"""The canonical token grammar, one row per rule and per attack class."""

from __future__ import annotations

import pytest

from applygate.core.comment import CommentKind, triage
from applygate.core.reading import scan
from applygate.core.token import (
    Kind,
    ScopeMatch,
    Token,
    looks_like_token,
    match_scope,
    normalize_scope,
)

OP = "terraform apply prod/vpc"
SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e"

# body -> (expected token or None, expected rejection code or None)
ROWS: list[tuple[str, str, Token | None, str | None]] = [
    ("canonical", f"User approved: {OP}", Token(Kind.APPROVAL, OP), None),
    ("denial", f"User denied: {OP}", Token(Kind.DENIAL, OP), None),
    ("trimmed", f"   User approved: {OP}   ", Token(Kind.APPROVAL, OP), None),
    ("crlf", f"User approved: {OP}\r", Token(Kind.APPROVAL, OP), None),
    (
        "many spaces",
        "User approved:    terraform   apply\tprod/vpc",
        Token(Kind.APPROVAL, OP),
        None,
    ),
    ("pin", f"User approved: {OP} @6dcb09b", Token(Kind.APPROVAL, OP, "6dcb09b"), None),
    ("full pin", f"User approved: {OP} @{SHA}", Token(Kind.APPROVAL, OP, SHA), None),
    ("short pin", f"User approved: {OP} @6dcb09", Token(Kind.APPROVAL, f"{OP} @6dcb09"), None),
    ("generic", "User approved: the changes", Token(Kind.APPROVAL, "the changes"), None),
    ("wrong case", f"user approved: {OP}", None, "not-canonical"),
    ("capitalised", f"User Approved: {OP}", None, "not-canonical"),
    ("no colon", f"User approved {OP}", None, "not-canonical"),
    ("no space", f"User approved:{OP}", None, "no-space"),
    ("empty scope", "User approved:   ", None, "empty-scope"),
    ("list item", f"- User approved: {OP}", None, "list-item"),
    ("bold", f"**User approved: {OP}**", None, "inline-markup"),
    ("nbsp after colon", f"User approved:\u00a0{OP}", None, "unicode-space"),
    # the scope would differ from the operation invisibly: 'names X, not X' would mislead
    ("nbsp in scope", "User approved: terraform\u00a0apply prod/vpc", None, "unicode-space"),
    ("ideographic space", f"User approved: {OP}\u3000", None, "unicode-space"),
    ("thin space", "User approved: terraform\u2009apply prod/vpc", None, "unicode-space"),
    ("tab after colon", f"User approved:\t{OP}", None, "no-space"),  # spaces only
    ("quote", f"> User approved: {OP}", None, "quoted"),
    ("nested quote", f"> > User approved: {OP}", None, "quoted"),
    ("lazy quote", f"> Alice wrote:\nUser approved: {OP}", None, "quoted"),
    ("fence", f"```\nUser approved: {OP}\n```", None, "code-block"),
    ("tilde fence", f"~~~text\nUser approved: {OP}\n~~~", None, "code-block"),
    ("unclosed fence", f"```\nUser approved: {OP}", None, "code-block"),
    ("fence line", f"``` User approved: {OP}", None, "code-block"),
    ("indent", f"    User approved: {OP}", None, "code-block"),
    ("tab indent", f"\tUser approved: {OP}", None, "code-block"),
    ("html comment", f"<!-- User approved: {OP} -->", None, "html-comment"),
    ("multiline comment", f"<!--\nUser approved: {OP}\n-->", None, "html-comment"),
    ("homoglyph cyrillic e", f"Us\u0435r approved: {OP}", None, "homoglyph"),
    ("homoglyph greek o", f"User appr\u03bfved: {OP}", None, "homoglyph"),
    ("fullwidth", f"\uff35ser approved: {OP}", None, "homoglyph"),
    ("zero-width space", f"User\u200b approved: {OP}", None, "zero-width"),
    ("zero-width in scope", "User approved: terraform apply\u200b prod/vpc", None, "zero-width"),
    ("word joiner", f"User approved: {OP}\u2060", None, "zero-width"),
    ("bom", f"\ufeffUser approved: {OP}", None, "zero-width"),
    ("bidi override", f"User approved: \u202e{OP}", None, "bidi"),
    ("bidi isolate", f"User approved: {OP}\u2066", None, "bidi"),
    ("control char", f"User approved: {OP}\x0b", None, "control-char"),
    ("bell", f"User approved:\x07 {OP}", None, "control-char"),
    ("line separator", f"User approved: {OP}\u2028", None, "invisible-char"),
    ("soft hyphen", "User approved: terra\u00adform apply prod/vpc", None, "invisible-char"),
]


@pytest.mark.parametrize(("body", "token", "code"), [r[1:] for r in ROWS], ids=[r[0] for r in ROWS])
def test_grammar(body: str, token: Token | None, code: str | None) -> None:
    lines = scan(body)
    assert len(lines) == 1, lines
    assert lines[0].token == token
    assert (lines[0].rejection.code if lines[0].rejection else None) == code


@pytest.mark.parametrize(
    "body",
    [
        "LGTM",
        "I approve of this",
        "The user approved it yesterday? No.",
        "",
        "approved: terraform apply prod/vpc",
        "User: approved",
    ],
)
def test_lines_that_are_not_token_like_are_not_reported(body: str) -> None:
    assert scan(body) == []
    assert triage(body, by_bot=False).kind is CommentKind.CHAT  # the zero-request skip


def test_only_the_token_line_counts_in_a_longer_comment() -> None:
    body = f"Reviewed the plan, looks right.\r\n\r\nUser approved: {OP}\r\nThanks!"
    [line] = scan(body)
    assert line.number == 3
    assert line.token == Token(Kind.APPROVAL, OP)


def test_fence_closes_and_later_lines_count_again() -> None:
    body = f"```\nUser approved: {OP}\n```\nUser approved: {OP}"
    first, second = scan(body)
    assert first.rejection is not None and first.rejection.code == "code-block"
    assert second.token == Token(Kind.APPROVAL, OP)


def test_a_shorter_fence_does_not_close_a_longer_one() -> None:
    body = f"````\n```\nUser approved: {OP}\n````\nUser approved: {OP}"
    first, second = scan(body)
    assert first.rejection is not None and first.rejection.code == "code-block"
    assert second.token is not None


def test_blank_line_ends_a_quote() -> None:
    body = f"> quoted\n\nUser approved: {OP}"
    [line] = scan(body)
    assert line.token == Token(Kind.APPROVAL, OP)


def test_comment_closed_on_a_later_line() -> None:
    body = f"<!-- hidden\nstill hidden -->\nUser approved: {OP}"
    [line] = scan(body)
    assert line.token is not None


def test_text_after_a_closed_inline_comment_is_read() -> None:
    body = f"<!-- note --> text\nUser approved: {OP}"
    [line] = scan(body)
    assert line.token is not None


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("User approved: x", Kind.APPROVAL),
        ("USER APPROVED x", Kind.APPROVAL),
        ("> user denied: x", Kind.DENIAL),
        ("- Us\u0435r approved: x", Kind.APPROVAL),
        ("User\u200bapproved: x", Kind.APPROVAL),
        ("**user  approved**: x", Kind.APPROVAL),
        ("1. User denied: x", Kind.DENIAL),
        ("nothing here", None),
        ("user approvedness", None),
    ],
)
def test_looks_like_token(line: str, kind: Kind | None) -> None:
    assert looks_like_token(line) == kind


@pytest.mark.parametrize(
    ("token", "match"),
    [
        (Token(Kind.APPROVAL, OP), ScopeMatch.EXACT),
        (Token(Kind.APPROVAL, "terraform apply prod"), ScopeMatch.MISMATCH),
        (Token(Kind.APPROVAL, "terraform apply prod/vpc and more"), ScopeMatch.MISMATCH),
        (Token(Kind.APPROVAL, "Terraform apply prod/vpc"), ScopeMatch.MISMATCH),
        (Token(Kind.APPROVAL, "terraform apply"), ScopeMatch.MISMATCH),
        (Token(Kind.APPROVAL, OP, "6dcb09b"), ScopeMatch.EXACT),
        (Token(Kind.APPROVAL, OP, "6DCB09B5"), ScopeMatch.EXACT),
        (Token(Kind.APPROVAL, OP, "1234567"), ScopeMatch.PIN_MISMATCH),
        (Token(Kind.APPROVAL, "the changes", "1234567"), ScopeMatch.PIN_MISMATCH),
        (Token(Kind.APPROVAL, "the changes"), ScopeMatch.GENERIC),
        (Token(Kind.APPROVAL, "Everything!"), ScopeMatch.GENERIC),
        (Token(Kind.APPROVAL, "all of it."), ScopeMatch.GENERIC),
        (Token(Kind.APPROVAL, "The Plan"), ScopeMatch.GENERIC),
        (Token(Kind.APPROVAL, "it"), ScopeMatch.GENERIC),
        (Token(Kind.APPROVAL, "this"), ScopeMatch.GENERIC),
        (Token(Kind.APPROVAL, "changes"), ScopeMatch.GENERIC),
        (Token(Kind.APPROVAL, "all"), ScopeMatch.GENERIC),
        (Token(Kind.APPROVAL, "all changes"), ScopeMatch.GENERIC),
        (Token(Kind.APPROVAL, "everything else"), ScopeMatch.MISMATCH),
    ],
)
def test_match_scope(token: Token, match: ScopeMatch) -> None:
    assert match_scope(token, OP, SHA) is match


def test_operation_is_compared_in_normalized_form() -> None:
    assert (
        match_scope(Token(Kind.APPROVAL, OP), "  terraform  apply\tprod/vpc ", SHA)
        is ScopeMatch.EXACT
    )
    assert normalize_scope(" a \t b  c ") == "a b c"


# A denial is shown as text in a list item, a heading, a table row or in bold: it must stop the
# operation (failing closed), although an approval written the same way never counts.
SHOWN_DENIALS = [
    ("list item", f"- User denied: {OP}"),
    ("numbered item", f"1. User denied: {OP}"),
    ("nested items", f"1. - User denied: {OP}"),
    ("task item", f"- [ ] User denied: {OP}"),
    ("checked task item", f"* [x] User denied: {OP}"),
    ("item after text", f"Looked again.\n- User denied: {OP}"),
    ("heading", f"# User denied: {OP}"),
    ("closed heading", f"## User denied: {OP} ##"),
    ("pipe row, no table", f"| User denied: {OP} |"),
    ("table cell", f"| who | what |\n|---|---|\n| bob | User denied: {OP} |"),
    ("bold", f"**User denied: {OP}**"),
    ("bold in an item", f"- __User denied: {OP}__"),
]


@pytest.mark.parametrize("body", [b for _, b in SHOWN_DENIALS], ids=[n for n, _ in SHOWN_DENIALS])
def test_a_shown_denial_counts(body: str) -> None:
    (line,) = scan(body)
    assert line.token == Token(Kind.DENIAL, OP)
    assert line.text == body.splitlines()[-1]  # the report shows the line as written


@pytest.mark.parametrize(
    "body",
    [
        f"- User approved: {OP}",
        f"# User approved: {OP}",
        f"| User approved: {OP} |",
        f"**User approved: {OP}**",
        f"- [ ] User approved: {OP}",
    ],
)
def test_an_approval_with_the_same_markup_does_not(body: str) -> None:
    assert all(line.token is None for line in scan(body))  # rejected, or not even token-like


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (f"> - User denied: {OP}", "quoted"),
        (f"```\n- User denied: {OP}\n```", "code-block"),
        (f"- User denied {OP}", "list-item"),
        (f"- User denied:\u200b {OP}", "list-item"),
    ],
)
def test_a_denial_that_is_not_shown_or_not_canonical_does_not_count(body: str, code: str) -> None:
    (line,) = scan(body)
    assert line.token is None
    assert line.rejection is not None and line.rejection.code == code


@pytest.mark.parametrize(
    "body",
    [
        "- [x] User approved the design doc",
        "| Reviewer | User approved |",
        "| bob | user denied access |",
        "see a|user approved stuff",
    ],
)
def test_prose_in_tables_and_task_items_stays_chat(body: str) -> None:
    """The trigger's zero-request skip: no near-miss reply for text that only mentions it."""
    assert scan(body) == []
    assert triage(body, by_bot=False).kind is CommentKind.CHAT


def test_a_body_nested_too_deep_to_render_counts_no_approval_but_its_denial() -> None:
    """HTML5 tree construction costs time quadratic in depth: such a body is not rendered, and
    it fails closed both ways (benchmarks/token_scan.py measures the crafted bodies)."""
    from applygate.core.source_bounds import MAX_DEPTH

    deep = "> " * (MAX_DEPTH + 1)
    [approval] = scan(f"{deep}User approved: {OP}")
    assert approval.token is None
    assert approval.rejection is not None and approval.rejection.code == "nested"
    [denial] = scan(f"{deep}User denied: {OP}")
    assert denial.token == Token(Kind.DENIAL, OP)
    shallow = "> " * (MAX_DEPTH - 8)
    [quoted] = scan(f"{shallow}User denied: {OP}")
    assert quoted.rejection is not None and quoted.rejection.code == "quoted"


def test_a_denial_after_a_raw_break_is_reported_on_its_own_source_line() -> None:
    [line] = scan(f"Earlier<br>User denied: {OP}")
    assert line.token == Token(Kind.DENIAL, OP)
    assert line.number == 1  # the shown line is the second, the source line the first
