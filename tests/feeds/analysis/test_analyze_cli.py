"""`nordwatch analyze` through click's CliRunner: one JSON object, and the --jsonl batch mode."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from tui.cli import cli

TEXT = (
    "TALLINN (ERR) - Estonia's parliament voted on Wednesday to withdraw from the Ottawa Convention. "
    '"Our security environment has changed," Defence Minister Hanno Pevkur said.'
)


def test_analyze_file_prints_one_json_object(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text(TEXT, encoding="utf-8")
    res = CliRunner().invoke(
        cli, ["analyze", str(f), "--title", "Estonia leaves mine ban treaty", "--lang", "en"]
    )
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["countries"][0] == {"code": "EE", "score": 1.0}
    assert out["statements"][0]["speaker"] == "Hanno Pevkur"
    assert out["statements"][0]["speaker_country"] == "EE"
    assert out["treaty_events"] == [
        {"country": "EE", "treaty": "ottawa", "action": "parliament_vote", "date": None}
    ]


def test_analyze_reads_stdin() -> None:
    res = CliRunner().invoke(cli, ["analyze", "-"], input=TEXT)
    assert res.exit_code == 0
    assert json.loads(res.output)["countries"][0]["code"] == "EE"


def test_jsonl_batch_keeps_ids_and_reports_bad_lines() -> None:
    lines = [
        json.dumps({"id": "a", "title": "", "text": TEXT, "lang": "en"}),
        "{broken",
        json.dumps({"id": 7, "title": "Norway", "text": "Norway's navy tracked a submarine.", "lang": "en"}),
    ]
    res = CliRunner().invoke(cli, ["analyze", "--jsonl"], input="\n".join(lines) + "\n")
    assert res.exit_code == 2  # a bad line is reported and counted; the others are still analysed
    rows = [json.loads(x) for x in res.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["a", 7]
    assert rows[1]["countries"][0]["code"] == "NO"
    assert "line 2" in res.stderr


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    res = CliRunner().invoke(cli, ["analyze", str(tmp_path / "nope.txt")])
    assert res.exit_code == 2
    assert "nope.txt" in res.stderr
