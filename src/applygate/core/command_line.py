"""A step's text as the simple commands a shell would run: the lexer under the non-interactive lint.

A step is one line of the ``steps`` input; a line ending in ``\\`` continues on the next. Each
step is split at ``&&``, ``||``, ``;`` and ``|`` into simple commands (and the script of a
``bash -c``/``sh -c``, of backticks and of ``$(...)`` is split the same way; wrappers, shell
keywords and redirections with their targets are taken off). Which of them may prompt is
``noninteractive``'s to judge.
"""

from __future__ import annotations

import re
import shlex

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
# A here-document's body is on the lines after it, and each line of steps runs as a step of its
# own: the command would run with an empty document, and then each body line as a command.
HEREDOC = "<<"
# Every operator shlex can glue to another, longest first (">>(" is ">>" then "(").
_BY_LENGTH = sorted(OPERATORS | REDIRECTIONS | SUBSHELLS | {HEREDOC}, key=len, reverse=True)


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
