"""The installed ``applygate fingerprint``: its status on the planned commit and its job summary,
against a real repository and a loopback stand-in for the GitHub API."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.test_preflight_cli import TOKEN, applygate
from tests.git.conftest import Repos
from tests.support.fake_github import FakeGitHub, json_of

REPO = "octo/infra"


def published_env(api: FakeGitHub, **more: str) -> dict[str, str]:
    return {
        "GITHUB_ACTIONS": "true",
        "INPUT_COMMAND": "fingerprint",
        "INPUT_TOKEN": TOKEN,
        "GITHUB_API_URL": api.url,
        "GITHUB_REPOSITORY": REPO,
        "GITHUB_RUN_ID": "7",
        "APPLYGATE_WRITE_INTERVAL_SECONDS": "0",
        **more,
    }


def test_a_recorded_fingerprint_is_published_on_the_checked_out_commit(repos: Repos) -> None:
    bare, _ = repos.seeded()
    work = repos.clone(bare, "work")
    sha = repos.head(work)
    status_path = f"/repos/{REPO}/statuses/{sha}"
    with FakeGitHub() as api:
        api.add("POST", status_path, json_of("repos-create-commit-status.json"), 201)
        plan = "echo 'Plan: 1 to add, 0 to change, 0 to destroy.'; exit 2"
        env = published_env(api, **{"INPUT_DRY-RUN": plan, "GITHUB_SHA": "f" * 40})
        done, outputs, summary = applygate([], work, env)
    assert done.returncode == 0, done.stdout + done.stderr
    value = outputs["plan-fingerprint"]
    sent = [(r.body["state"], r.body["description"]) for r in api.sent("POST", status_path)]
    assert sent == [
        ("pending", "fingerprint: running"),
        ("success", f"plan fingerprint {value[:12]} (changes)"),
    ]
    assert all(r.body["context"] == "applygate/fingerprint" for r in api.sent("POST", status_path))
    assert "## applygate fingerprint: recorded" in summary
    assert f"| Fingerprint | `{value}` |" in summary
    assert f"| Commit | `{sha}` |" in summary
    assert "| Exit code | 2 |" in summary


def test_no_fingerprint_is_a_failure_status_and_a_summary_with_the_reason(
    repos: Repos, tmp_path: Path
) -> None:
    bare, _ = repos.seeded()
    work = repos.clone(bare, "work")
    sha = "a" * 40
    status_path = f"/repos/{REPO}/statuses/{sha}"
    with FakeGitHub() as api:
        api.add("POST", status_path, json_of("repos-create-commit-status.json"), 201)
        plan = f"echo 'Error: token {TOKEN} expired' >&2; exit 1"
        env = published_env(api, **{"INPUT_DRY-RUN": plan, "INPUT_SHA": sha})
        done, outputs, summary = applygate([], work, env)
    assert done.returncode == 1
    assert outputs == {}
    sent = [(r.body["state"], r.body["description"]) for r in api.sent("POST", status_path)]
    assert sent == [
        ("pending", "fingerprint: running"),
        ("failure", "no fingerprint: the dry-run exited with 1"),
    ]
    assert "## applygate fingerprint: none" in summary
    assert "| Reason | the dry-run exited with 1 |" in summary
    assert "Error: token *** expired" in summary
    assert TOKEN not in summary
    assert TOKEN not in done.stdout.replace(f"::add-mask::{TOKEN}", "")


def test_publish_none_sends_nothing(repos: Repos) -> None:
    work = repos.empty("work")
    with FakeGitHub() as api:
        env = published_env(api, **{"INPUT_DRY-RUN": "echo 'No changes.'", "INPUT_PUBLISH": "none"})
        done, outputs, _ = applygate([], work, env)
        assert api.requests == []
    assert done.returncode == 0, done.stdout + done.stderr
    assert len(outputs["plan-fingerprint"]) == 64


def test_an_invalid_publish_value_is_a_usage_error_before_the_dry_run(
    repos: Repos, tmp_path: Path
) -> None:
    work = repos.empty("work")
    ran = tmp_path / "ran"
    env = {"INPUT_COMMAND": "fingerprint", "INPUT_DRY-RUN": f"touch {ran}", "INPUT_PUBLISH": "yes"}
    done, outputs, _ = applygate([], work, env)
    assert done.returncode == 2
    assert done.stderr.startswith("applygate: error: invalid input publish: 'yes'")
    assert len(done.stderr.strip().splitlines()) == 1
    assert not ran.exists()
    assert outputs == {}


def test_without_a_commit_checked_out_the_status_goes_on_github_sha(repos: Repos) -> None:
    work = repos.empty("work")  # a repository with no commit: HEAD names none
    sha = "b" * 40
    status_path = f"/repos/{REPO}/statuses/{sha}"
    with FakeGitHub() as api:
        api.add("POST", status_path, json_of("repos-create-commit-status.json"), 201)
        env = published_env(api, **{"INPUT_DRY-RUN": "echo 'No changes.'", "GITHUB_SHA": sha})
        done, _, summary = applygate([], work, env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert [r.body["state"] for r in api.sent("POST", status_path)] == ["pending", "success"]
    assert f"| Commit | `{sha}` |" in summary
