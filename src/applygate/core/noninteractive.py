"""Will a step wait for an answer nobody will type? A rule table over the commands of each step.

A step is one line of the ``steps`` input; a line ending in ``\\`` continues on the next. Each
step is split at ``&&``, ``||``, ``;`` and ``|`` into simple commands (and the script of a
``bash -c``/``sh -c``, of backticks and of ``$(...)`` is split the same way; wrappers, shell
keywords and redirections with their targets are taken off), and each command is matched
against every rule: a rule names a program, optional subcommand words (which must appear, in
order, among the arguments) and the flags of which one must be present. Every matching rule must
be satisfied, so extra rules can only make the lint stricter.

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

import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from applygate.core import strict_yaml

OPERATORS = frozenset({"&&", "||", ";", "|", "&", ";;", "(", ")", "|&"})
# Wrapper options followed by a separate value (sudo -u deploy terraform apply).
WRAPPER_VALUE_OPTIONS = {
    "sudo": frozenset({"-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U", "-T"}),
    "doas": frozenset({"-u", "-C"}),
    "env": frozenset({"-u", "-C", "-S"}),
    "nice": frozenset({"-n"}),
    "ionice": frozenset({"-c", "-n", "-p"}),
    "timeout": frozenset({"-s", "-k", "--signal", "--kill-after"}),
    "stdbuf": frozenset({"-i", "-o", "-e"}),
    "xargs": frozenset({"-a", "-d", "-E", "-e", "-I", "-i", "-L", "-l", "-n", "-P", "-s"}),
    "flock": frozenset({"-w", "-E", "--timeout", "--conflict-exit-code"}),
}
# Wrappers whose first arguments that are no option are theirs, not the command's
# (timeout 30m pulumi up).
WRAPPER_ARGUMENTS = {"timeout": 1, "flock": 1}
SHELLS = frozenset({"bash", "sh", "zsh", "dash"})
WRAPPERS = frozenset(
    {"sudo", "doas", "env", "time", "exec", "command", "nice", "ionice", "nohup", "timeout"}
    | {"stdbuf", "xargs", "eval", "flock"}
)
# Words that start a compound command or a part of one: the command follows them
# (if terraform apply; then ...; ! pulumi up; { az group delete ...; }).
KEYWORDS = frozenset({"if", "then", "elif", "else", "do", "while", "until", "!", "{", "}"})
KEYWORDS |= frozenset({"fi", "done", "esac", "coproc"})  # time is a wrapper: time -p cmd
# Redirection operators as shlex's punctuation splits them (2>&1 is "2", ">&", "1"): they and
# their target are no arguments (the target of "> log" is no saved plan file).
REDIRECTIONS = frozenset({">", ">>", "<", "<>", ">&", "<&", "&>", "&>>", ">|", "<<<"})
# Process substitution: >(tee log) and <(cmd) start a command of their own.
SUBSHELLS = frozenset({">(", "<("})
_PUNCTUATION = frozenset("();<>|&")
_ARITHMETIC = re.compile(r"\$\(\((?:[^()]|\([^()]*\))*\)\)")
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
# A here-document's body is on the lines after it, and each line of steps runs as a step of its
# own: the command would run with an empty document, and then each body line as a command.
HEREDOC = "<<"
# Every operator shlex can glue to another, longest first (">>(" is ">>" then "(").
_BY_LENGTH = sorted(OPERATORS | REDIRECTIONS | SUBSHELLS | {HEREDOC}, key=len, reverse=True)
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


def split_steps(text: str) -> tuple[str, ...]:
    """One command per line; a line ending in a backslash continues on the next (as in a shell,
    the backslash and the line break are removed). Blank lines and ``#`` comments are dropped."""
    steps: list[str] = []
    pending = ""
    for line in text.splitlines():
        # an odd number of backslashes: the last one escapes the line break; an even number
        # ends in an escaped backslash, as in the shell, and the next line is a step of its own
        if (len(line) - len(line.rstrip("\\"))) % 2 == 1:
            pending += line[:-1]
            continue
        steps.append(pending + line)
        pending = ""
    if pending:
        steps.append(pending)
    cleaned = (step.strip() for step in steps)
    return tuple(step for step in cleaned if step and not step.startswith("#"))


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


def simple_commands(step: str) -> list[list[str]]:
    """The words of each simple command of a step, wrappers, keywords, redirections and
    ``NAME=value`` prefixes removed; commands in backticks and ``$(...)`` are commands too."""
    step = _ARITHMETIC.sub("0", step)  # $((1<<2)) is a number, not a here-document
    lexer = shlex.shlex(step, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    commands: list[list[str]] = [[]]
    redirected = False
    for token in (part for word in lexer for part in _operators(word)):
        # an operator ends the command; > >(tee log) and <(cmd) start one of their own
        if token in OPERATORS or token in SUBSHELLS:
            commands.append([])
            redirected = False
        elif redirected:
            redirected = False  # the target of a redirection
        elif token in REDIRECTIONS:
            words = commands[-1]
            if words and words[-1].isdigit():
                words.pop()  # the file descriptor of 2>&1 (an argument "2" dropped too: stricter)
            redirected = True
        else:
            commands[-1].append(token)
    found: list[list[str]] = []
    for words in (_unwrap(c) for c in commands):
        if not words:
            continue
        found.append(words)
        script = _shell_script(words)
        if script is not None:
            found += simple_commands(script)  # bash -c "terraform apply"
    for inner in substitutions(step):
        found += simple_commands(inner)  # echo "$(terraform apply)", `pulumi up`
    return found


def _operators(word: str) -> list[str]:
    """A run of shell punctuation as shlex gives it (``)&&``, ``||(``, ``>(``, ``;(``) split into
    the operators it is made of, longest first; any other word as it is."""
    if not word or any(ch not in _PUNCTUATION for ch in word):
        return [word]
    found: list[str] = []
    rest = word
    while rest:
        known = next((op for op in _BY_LENGTH if rest.startswith(op)), rest[0])
        found.append(known)
        rest = rest[len(known) :]
    return found


def substitutions(text: str) -> list[str]:
    """The scripts of the command substitutions in ``text`` (backticks and ``$(...)``, however
    quoted: one in single quotes is linted too, which is only stricter)."""
    found = [inner for inner in text.split("`")[1::2] if inner.strip()]
    start = text.find("$(")
    while start != -1:
        depth, index = 1, start + 2
        while index < len(text) and depth:
            depth += {"(": 1, ")": -1}.get(text[index], 0)
            index += 1
        inner = text[start + 2 : index - 1 if depth == 0 else index]
        if inner.strip():
            found.append(inner)
        start = text.find("$(", start + 2)
    return found


def _shell_script(words: list[str]) -> str | None:
    """The command string of ``bash -c '...'`` (also ``sh -euc '...'``), or None."""
    if words[0].rsplit("/", 1)[-1] not in SHELLS:
        return None
    for index, word in enumerate(words[1:-1], start=1):
        if word.startswith("-") and not word.startswith("--") and "c" in word[1:]:
            return words[index + 1]
    return None


def _unwrap(words: list[str]) -> list[str]:
    """Drop ``NAME=value`` prefixes, shell keywords and wrappers (``sudo -u deploy``,
    ``env -i``, ``timeout 30m``, ``time``)."""
    index = 0
    wrapper = ""
    owed = 0  # arguments of the wrapper still to skip (timeout's duration)
    while index < len(words):
        word = words[index]
        if "=" in word and word.split("=", 1)[0].isidentifier():
            index += 1  # NAME=value before the command
        elif word in KEYWORDS and not wrapper:
            index += 1
        elif word in WRAPPERS and not owed:
            wrapper, owed = word, WRAPPER_ARGUMENTS.get(word, 0)
            index += 1
        elif wrapper and word.startswith("-") and word != "-":
            takes_value = word in WRAPPER_VALUE_OPTIONS.get(wrapper, ())
            index += 2 if takes_value else 1
        elif owed:
            owed -= 1
            index += 1
        else:
            break
    return words[index:]


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
