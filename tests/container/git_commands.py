"""Every git command applygate runs, run inside the image (a case of the container test).

The image keeps only part of Debian's git (Dockerfile: no perl library, no server or mail programs)
and none of Python's pip or test packages, so each git subcommand the adapters use is run once
here, with the arguments the adapters give it, in a checkout owned by another uid (as the runner
mounts it) and in a scratch clone for the commands that write (checkout, revert, push, reset).
``tests/test_dockerfile.py`` checks that this list names every subcommand the adapters call.
"""

from __future__ import annotations

# (subcommand and arguments, exit codes that mean "it ran"); {sha} is the checkout's HEAD.
# "w" runs in the mounted workspace (read only), "c" in a clone whose origin is a scratch bare copy.
COMMANDS: tuple[tuple[str, tuple[str, ...], tuple[int, ...]], ...] = (
    ("w", ("version",), (0,)),
    ("w", ("rev-parse", "--verify", "--quiet", "HEAD^{commit}"), (0,)),
    ("w", ("rev-parse", "--git-dir"), (0,)),
    ("w", ("rev-parse", "--show-toplevel"), (0,)),
    ("w", ("rev-parse", "--is-shallow-repository"), (0,)),
    ("w", ("rev-parse", "--git-path", "shallow"), (0,)),
    ("w", ("rev-parse", "{sha}^{tree}"), (0,)),
    ("w", ("symbolic-ref", "--quiet", "HEAD"), (0,)),
    ("w", ("cat-file", "commit", "{sha}"), (0,)),
    ("w", ("cat-file", "-e", "{sha}^{commit}"), (0,)),
    ("w", ("log", "-1", "--format=%B", "{sha}"), (0,)),
    ("w", ("diff", "--name-only", "-z", "HEAD"), (0,)),
    (
        "w",
        ("status", "--porcelain=v1", "-z", "--untracked-files=all", "--ignore-submodules=none"),
        (0,),
    ),
    (
        "w",
        ("ls-files", "-z", "--others", "--exclude-per-directory=.gitignore", "--full-name", ":/"),
        (0,),
    ),
    ("w", ("ls-files", "-v", "-z", "--full-name", ":/"), (0,)),
    ("w", ("ls-files", "-s", "-z", "--full-name", "--", ":(top,literal)main.tf"), (0,)),
    ("w", ("config", "--bool", "core.sparseCheckout"), (0, 1)),
    ("w", ("config", "--get", "user.name"), (0, 1)),
    ("w", ("hash-object", "--", "main.tf"), (0,)),
    ("w", ("remote", "get-url", "origin"), (0,)),
    ("w", ("ls-remote", "origin", "refs/heads/main"), (0,)),
    ("w", ("rev-list", "{sha}"), (0,)),
    ("w", ("merge-base", "--is-ancestor", "{sha}", "{sha}"), (0,)),
    ("w", ("diff-tree", "-r", "--no-renames", "-z", "{sha}", "{sha}"), (0,)),
    ("w", ("ls-tree", "-r", "-z", "{sha}", "--", "main.tf"), (0,)),
    (
        "c",
        (
            "fetch",
            "--quiet",
            "--no-tags",
            "--no-recurse-submodules",
            "--no-write-fetch-head",
            "--depth=1",
            "origin",
            "+{sha}:refs/applygate/0",
        ),
        (0,),
    ),
    ("c", ("update-ref", "-d", "refs/applygate/0"), (0,)),
    ("c", ("checkout", "--quiet", "--detach", "{sha}"), (0,)),
    ("c", ("checkout", "--quiet", "-B", "main", "{sha}"), (0,)),
    ("c", ("revert", "--no-edit", "{sha}"), (0,)),
    ("c", ("push", "--porcelain", "origin", "HEAD:refs/heads/main"), (0,)),
    ("c", ("revert", "--abort"), (0, 128)),
    ("c", ("checkout", "--quiet", "--force", "main"), (0,)),
    ("c", ("reset", "--quiet", "--hard", "{sha}"), (0,)),
    ("c", ("worktree", "add", "--quiet", "--detach", "--force", "/tmp/redeploy", "{sha}"), (0,)),
    ("c", ("worktree", "remove", "--force", "--force", "/tmp/redeploy"), (0,)),
    ("c", ("worktree", "prune"), (0,)),
)

# Run inside the image by its own Python: prints one line per command that failed.
SCRIPT = """
import json, os, subprocess, sys
commands, sha = json.loads(sys.argv[1]), sys.argv[2]
env = {**os.environ, "GIT_AUTHOR_NAME": "CI", "GIT_AUTHOR_EMAIL": "ci@example.com",
       "GIT_COMMITTER_NAME": "CI", "GIT_COMMITTER_EMAIL": "ci@example.com"}
work, clone = "/github/workspace", "/tmp/clone"
origin = subprocess.run(["git", "remote", "get-url", "origin"], cwd=work, env=env,
                        capture_output=True, text=True, check=True).stdout.strip()
subprocess.run(["git", "clone", "-q", "--bare", origin, "/tmp/remote.git"], env=env, check=True)
subprocess.run(["git", "clone", "-q", "/tmp/remote.git", clone], env=env, check=True)
for where, args, codes in commands:
    argv = ["git", *(a.replace("{sha}", sha) for a in args)]
    done = subprocess.run(argv, cwd=work if where == "w" else clone, env=env,
                          capture_output=True, text=True)
    if done.returncode not in codes:
        print(f"{' '.join(argv)}: exit {done.returncode}: {done.stderr.strip()[-300:]}")
"""
