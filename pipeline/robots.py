"""robots.txt rules for one site, read with the standard library's parser.

The fetcher downloads robots.txt itself (through the same address guard, limits and
retries) and hands the text here; ``urllib.robotparser`` only ever parses.
"""

from __future__ import annotations

from urllib.robotparser import RobotFileParser


class RobotsRules:
    """Whether our user agent may fetch a URL of one site."""

    def __init__(self, agent: str, parser: RobotFileParser | None, why_closed: str | None) -> None:
        self._token = agent.split("/")[0].split()[0] if agent.strip() else "*"
        self._parser = parser
        self._why_closed = why_closed

    @classmethod
    def parse(cls, agent: str, url: str, text: str) -> RobotsRules:
        parser = RobotFileParser(url)
        parser.parse(text.splitlines())
        return cls(agent, parser, None)

    @classmethod
    def allow_all(cls, agent: str) -> RobotsRules:
        return cls(agent, None, None)

    @classmethod
    def unreachable(cls, agent: str, url: str, why: str) -> RobotsRules:
        """RFC 9309 2.3.1.4: a robots.txt that cannot be read means the site is off limits."""
        return cls(agent, None, f"{url} could not be read ({why}), so the site is off limits")

    def allows(self, url: str) -> bool:
        if self._why_closed is not None:
            return False
        return self._parser is None or self._parser.can_fetch(self._token, url)

    def explain(self, url: str) -> str:
        return self._why_closed or f"robots.txt disallows {url} for {self._token}"

    def crawl_delay(self) -> float | None:
        if self._parser is None:
            return None
        delay = self._parser.crawl_delay(self._token)
        return float(delay) if delay is not None else None
