"""A pull request's comments on the loopback GitHub (``FakeGitHub``): listed as GitHub lists them
(``since`` on the update time, ``per_page`` at most 100, Link headers), created and updated in
place, so that a rerun sees what the run before it wrote."""

from __future__ import annotations

from typing import Any

from tests.support.fake_github import FakeGitHub, Request, Response

BOT = {"login": "github-actions[bot]", "id": 41898282, "type": "Bot"}


class PrThread:
    def __init__(
        self,
        api: FakeGitHub,
        repo: str,
        number: int,
        comments: list[dict[str, Any]],
        written_at: str = "2026-11-01T13:00:00Z",
    ) -> None:
        self.api, self.repo, self.number = api, repo, number
        self.comments = comments
        self.written_at = written_at  # the time of every comment applygate writes or edits
        self.next_id = 900_001
        api.route("GET", f"/repos/{repo}/issues/{number}/comments", self.listing)
        api.route("POST", f"/repos/{repo}/issues/{number}/comments", self.create)

    def listing(self, request: Request) -> Response:
        since = request.query.get("since")
        kept = [c for c in self.comments if since is None or c["updated_at"] > since]
        per_page = min(int(request.query.get("per_page", "30")), 100)
        page = int(request.query.get("page", "1"))
        headers = {}
        if page * per_page < len(kept):
            query = {**request.query, "page": str(page + 1)}
            link = "&".join(f"{k}={v}" for k, v in query.items())
            headers["Link"] = f'<{self.api.url}{request.path}?{link}>; rel="next"'
        return Response(200, kept[(page - 1) * per_page : page * per_page], headers)

    def create(self, request: Request) -> Response:
        number = self.next_id
        self.next_id += 1
        made = {
            "id": number,
            "node_id": f"IC_{number}",
            "html_url": f"https://github.com/{self.repo}/pull/{self.number}#issuecomment-{number}",
            "user": BOT,
            "body": request.body["body"],
            "created_at": self.written_at,
            "updated_at": self.written_at,
        }
        self.comments.append(made)
        self.api.route("PATCH", f"/repos/{self.repo}/issues/comments/{number}", self.update)
        return Response(201, made)

    def update(self, request: Request) -> Response:
        number = int(request.path.rsplit("/", 1)[1])
        found = next(c for c in self.comments if c["id"] == number)
        found["body"] = request.body["body"]
        found["updated_at"] = self.written_at
        return Response(200, found)

    def by_bot(self) -> list[dict[str, Any]]:
        return [c for c in self.comments if (c.get("user") or {}).get("type") == "Bot"]
