"""Reading the app's answers in tests: the JSON of a search, a page's text, a facet's values."""
from __future__ import annotations

import re


def api(client, query: str = "", **kwargs) -> dict:
    """``/api/search?query`` as JSON, asserting a 200 JSON answer."""
    response = client.get("/api/search" + (f"?{query}" if query else ""), **kwargs)
    assert response.status_code == 200, response.data[:500]
    assert response.mimetype == "application/json"
    return response.get_json()


def values(data: dict, facet: str) -> dict:
    """A facet's values in a search's JSON, by value."""
    return {v["value"]: v for v in data["facets"][facet]["values"]}


def page(client, url: str, status: int = 200) -> str:
    """A page's text, asserting its status."""
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.get_data(as_text=True)


def snippet_tags(fragment: str) -> set[str]:
    """The tag names in an HTML fragment."""
    return set(re.findall(r"</?([a-zA-Z][\w-]*)", fragment))
