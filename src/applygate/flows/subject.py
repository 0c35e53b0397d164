"""The commit a command's result belongs to, by the one rule in core/subject.py: each source is
read only when the rule reaches it (HEAD is asked of git only when nothing before it named one)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from applygate.adapters.git_head import checked_out
from applygate.core.subject import CommitSource, choose, order
from applygate.job import Job


class _Lazy(Mapping[CommitSource, str | None]):
    """Each source's commit, read when first asked."""

    def __init__(self, readers: Mapping[CommitSource, Callable[[], str | None]]) -> None:
        self._readers = readers

    def __getitem__(self, source: CommitSource) -> str | None:
        return self._readers[source]()

    def __iter__(self) -> Iterator[CommitSource]:
        return iter(self._readers)

    def __len__(self) -> int:
        return len(self._readers)


Readers = Mapping[CommitSource, Callable[[], str | None]]


def first_known(
    command: str, event_name: str, readers: Readers, *, pull_request: bool = False
) -> str | None:
    """The commit the rule chooses from what ``readers`` can tell (a source without a reader
    is unknown), each reader called only when the rule reaches it."""
    known = _Lazy({s: readers.get(s, lambda: None) for s in CommitSource})
    found = choose(order(command, event_name, pull_request=pull_request), known)
    return found[0] if found is not None else None


def subject_commit(command: str, job: Job, sha_input: str | None) -> str | None:
    """The commit ``command``'s result belongs to, from the job (None: no source names one)."""
    event = job.event()
    readers: dict[CommitSource, Callable[[], str | None]] = {
        CommitSource.SHA_INPUT: lambda: sha_input,
        CommitSource.EVENT_HEAD: lambda: event.head_sha if event is not None else None,
        CommitSource.HEAD: lambda: checked_out(job.workspace.path, job.environ),
        CommitSource.GITHUB_SHA: lambda: job.ctx.sha or None,
    }
    return first_known(command, job.ctx.event_name, readers)
