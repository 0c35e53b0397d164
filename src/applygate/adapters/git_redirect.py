"""The environment variables that point git at another repository than the workspace's.

Kept apart (no imports) so that the CLI can take them out of its own process environment at
start, at no cost: GitPython starts every git from ``os.environ`` plus the variables it is
given and cannot unset one, so dropping them only from the environment passed to it would not
keep a ``GIT_DIR`` from pointing every check at another repository.
"""

# Variables that would point git at another repository, index or work tree than the workspace's,
# or rewrite its history: applygate's facts must be about the workspace's real commits.
REDIRECTING_VARIABLES = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
    "GIT_REPLACE_REF_BASE",
    "GIT_SHALLOW_FILE",
)
