"""Will a step wait for an answer nobody will type? A rule table over the commands of each step.

Each step is split into simple commands by ``command_line`` (``&&``, ``||``, ``;``, ``|``,
``bash -c``, backticks and ``$(...)``; wrappers, keywords and redirections taken off), and each
command is matched against every rule: a rule names a program, optional subcommand words (which
must appear, in order, among the arguments) and the flags of which one must be present. Every
matching rule must be satisfied, so extra rules can only make the lint stricter.

Extra rules come from a YAML file::

    rules:
      - name: helm uninstall          # shown in the report
        program: helm                 # executable name (or a list of names)
        subcommand: [uninstall]       # optional: words that must appear, in order
        require-any: [--wait]         # one of these flags must be present ([] = never prompts)
        saved-plan-exempt: false      # optional: a positional argument after the subcommand
                                      # (a saved plan file) makes the flags unnecessary
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from applygate.core import strict_yaml
from applygate.core.command_line import HEREDOC, simple_commands

# Terraform options that take a separate value: that value is not a saved plan file.
TERRAFORM_VALUE_OPTIONS = frozenset(
    {
        "-var",
        "-var-file",
        "-target",
        "-replace",
        "-state",
        "-state-out",
        "-backup",
        "-lock-timeout",
        "-parallelism",
        "-exclude",  # OpenTofu
        "-chdir",
        "-working-dir",  # Terragrunt's newer CLI
        "-config",
        "-queue-include-dir",
        "-queue-exclude-dir",
    }
)
HEREDOC_PROBLEM = (
    "a here-document (<<) continues on the next lines, but each line of steps is a separate step: "
    "put it in a script file"
)
RULE_KEYS = frozenset({"name", "program", "subcommand", "require-any", "saved-plan-exempt"})


class RulesError(ValueError):
    """A rules file that cannot be used; the message names the key."""


@dataclass(frozen=True)
class Rule:
    name: str
    programs: tuple[str, ...]
    subcommand: tuple[str, ...] = ()
    require_any: tuple[str, ...] = ()
    saved_plan_exempt: bool = False


@dataclass(frozen=True)
class Finding:
    step: str
    command: str
    rule: str
    require_any: tuple[str, ...]

    @property
    def message(self) -> str:
        if not self.require_any:
            return f"{self.command!r} cannot be parsed: {self.rule}"
        flags = " or ".join(self.require_any)
        return f"{self.command!r} may prompt ({self.rule}): add {flags}"


_AUTO_APPROVE = ("-auto-approve", "--auto-approve")
_ASSUME_YES = ("-y", "--yes", "--assume-yes")
DEFAULT_RULES: tuple[Rule, ...] = (
    Rule("terraform apply", ("terraform", "tofu", "terragrunt"), ("apply",), _AUTO_APPROVE, True),
    Rule("terraform destroy", ("terraform", "tofu", "terragrunt"), ("destroy",), _AUTO_APPROVE),
    Rule("gcloud", ("gcloud",), (), ("--quiet", "-q")),
    Rule("pulumi up", ("pulumi",), ("up",), ("--yes", "-y")),
    Rule("pulumi destroy", ("pulumi",), ("destroy",), ("--yes", "-y")),
    Rule("pulumi refresh", ("pulumi",), ("refresh",), ("--yes", "-y")),
    Rule("az delete", ("az",), ("delete",), ("--yes", "-y")),
    *(
        Rule(f"apt-get {verb}", ("apt-get", "apt"), (verb,), _ASSUME_YES)
        for verb in ("install", "remove", "purge", "upgrade", "dist-upgrade", "full-upgrade")
    ),
    Rule("apt-get autoremove", ("apt-get", "apt"), ("autoremove",), _ASSUME_YES),
    Rule("kubectl", ("kubectl",)),
    Rule("git push", ("git",), ("push",)),
)


def lint(steps: Sequence[str], rules: Sequence[Rule] = DEFAULT_RULES) -> tuple[Finding, ...]:
    """Every command of every step that breaks a rule (or cannot be parsed)."""
    found: list[Finding] = []
    for step in steps:
        try:
            commands = simple_commands(step)
        except ValueError as error:
            found.append(Finding(step, step, f"unbalanced quoting ({error})", ()))
            continue
        for words in commands:
            if HEREDOC in words:
                found.append(Finding(step, shlex.join(words), HEREDOC_PROBLEM, ()))
            found += [
                Finding(step, shlex.join(words), rule.name, rule.require_any)
                for rule in rules
                if applies(rule, words) and not satisfied(rule, words)
            ]
    return tuple(found)


def applies(rule: Rule, words: Sequence[str]) -> bool:
    if words[0].rsplit("/", 1)[-1] not in rule.programs:
        return False
    return _subcommand_end(rule, words) is not None


def _subcommand_end(rule: Rule, words: Sequence[str]) -> int | None:
    """Index just after the last subcommand word, matched in order among the arguments."""
    position = 1
    for wanted in rule.subcommand:
        while position < len(words) and words[position] != wanted:
            position += 1
        if position == len(words):
            return None
        position += 1
    return position


def satisfied(rule: Rule, words: Sequence[str]) -> bool:
    if not rule.require_any:
        return True
    arguments = words[1:]
    if any(_has_flag(word, flag) for word in arguments for flag in rule.require_any):
        return True
    return rule.saved_plan_exempt and _has_positional(words, _subcommand_end(rule, words) or 1)


def _has_flag(word: str, flag: str) -> bool:
    if word == flag:
        return True
    if word.startswith(flag + "="):
        return word[len(flag) + 1 :].lower() not in ("false", "0", "no")
    # combined short options: -qy contains -y
    short = len(flag) == 2 and flag[0] == "-" and flag[1] != "-"
    return short and word.startswith("-") and not word.startswith("--") and flag[1] in word[1:]


def _has_positional(words: Sequence[str], start: int) -> bool:
    """A saved plan file: the last word (Terraform reads options only before it), after the
    subcommand, no option itself and no option's value (``-var-file x``, ``--target x``,
    ``--terragrunt-working-dir x``; Terraform takes one dash or two)."""
    if start >= len(words):
        return False
    last = words[-1]
    if last.startswith("-") or not last or not (last[0].isalnum() or last[0] in "./_~"):
        return False
    previous = "-" + words[-2].lstrip("-") if len(words) - 1 > start else ""
    takes_value = previous in TERRAFORM_VALUE_OPTIONS or previous.startswith("-terragrunt-")
    return not takes_value


def parse_rules(text: str, source: str) -> tuple[Rule, ...]:
    """Rules from a YAML document; any problem is a RulesError naming ``source`` and the key."""
    try:
        loaded: Any = strict_yaml.load(text)
    except yaml.YAMLError as error:
        raise RulesError(f"{source}: not valid YAML ({_yaml_problem(error)})") from None
    if loaded is None:
        return ()
    if not isinstance(loaded, dict) or set(loaded) != {"rules"}:
        raise RulesError(f"{source}: expected a mapping with one key, 'rules'")
    entries = loaded["rules"]
    if not isinstance(entries, list):
        raise RulesError(f"{source}: 'rules' must be a list")
    return tuple(_rule(entry, f"{source}: rules[{n}]") for n, entry in enumerate(entries))


def _rule(entry: Any, where: str) -> Rule:
    if not isinstance(entry, dict):
        raise RulesError(f"{where}: must be a mapping")
    unknown = sorted(str(key) for key in set(entry) - RULE_KEYS)
    if unknown:
        raise RulesError(
            f"{where}: unknown key {unknown[0]!r} (known: {', '.join(sorted(RULE_KEYS))})"
        )
    for key in ("program", "require-any"):
        if key not in entry:
            raise RulesError(f"{where}: '{key}' is required")
    exempt = entry.get("saved-plan-exempt", False)
    if not isinstance(exempt, bool):
        raise RulesError(f"{where}.saved-plan-exempt: must be true or false")
    programs = _words(entry["program"], f"{where}.program", allow_empty=False)
    subcommand = _words(entry.get("subcommand", []), f"{where}.subcommand", allow_empty=True)
    name = entry.get("name", " ".join((*programs[:1], *subcommand)))
    if not isinstance(name, str) or not name.strip():
        raise RulesError(f"{where}.name: must be a non-empty string")
    flags = _words(entry["require-any"], f"{where}.require-any", allow_empty=True)
    if any(not flag.startswith("-") for flag in flags):
        raise RulesError(f"{where}.require-any: flags must start with '-'")
    return Rule(name.strip(), programs, subcommand, flags, exempt)


def _words(value: Any, where: str, *, allow_empty: bool) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    valid = isinstance(items, list) and all(
        isinstance(item, str) and item.strip() and not any(c.isspace() for c in item)
        for item in items
    )
    if not valid:
        raise RulesError(f"{where}: must be a word or a list of words")
    if not items and not allow_empty:
        raise RulesError(f"{where}: must not be empty")
    return tuple(items)


def _yaml_problem(error: yaml.YAMLError) -> str:
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or type(error).__name__
    return f"{problem} at line {mark.line + 1}" if mark is not None else str(problem)
