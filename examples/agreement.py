"""Does a tool's coverage report agree with what the example city's manifest says its files prove?

Used by bench/city_coverage.py (figures) and the tests (the city's coverage must agree on every
indicator): `compare(manifest, coverage_json)` with the manifest as read from .manifest.json and
the report of `dossier coverage --json`.
"""
from __future__ import annotations


def present_years(entry: dict) -> dict[str, list[int]]:
    return {kind: sorted(cov.get("present", [])) for kind, cov in entry.get("evidence", {}).items()}


def compare(manifest: dict, tool: dict) -> tuple[list[dict], int, int]:
    """Disagreements (one per indicator and kind, or per status alone), agreeing indicators, total."""
    expected: dict[str, dict] = manifest["coverage"]
    reported = {item["code"]: item for item in tool["indicators"]}
    rows: list[dict] = []
    agree = 0
    for code in sorted(set(expected) | set(reported), key=_code_key):
        want, got = expected.get(code), reported.get(code)
        if want is None or got is None:
            rows.append({"code": code, "name": (want or got)["name"], "kind": "-",
                         "manifest": "absent" if want is None else want["status"],
                         "tool": "absent" if got is None else got["status"], "status": True})
            continue
        want_years, got_years = present_years(want), present_years(got)
        kinds = sorted(set(want_years) | set(got_years))
        bad = [k for k in kinds if want_years.get(k) != got_years.get(k)]
        for kind in bad:
            rows.append({"code": code, "name": want["name"], "kind": kind, "manifest": want_years.get(kind),
                         "tool": got_years.get(kind), "status": False,
                         "manifest_status": want["status"], "tool_status": got["status"]})
        if not bad and want["status"] != got["status"]:
            rows.append({"code": code, "name": want["name"], "kind": "status", "manifest": want["status"],
                         "tool": got["status"], "status": True})
        agree += not bad and want["status"] == got["status"]
    return rows, agree, len(set(expected) | set(reported))


def _code_key(code: str) -> list:
    return [int(p) if p.isdigit() else p for p in code.replace("-", ".").split(".")]
