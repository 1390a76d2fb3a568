"""The physiotherapist's report: a real PDF read back with pdftotext/pdfinfo, its chart as
PNG, page limits, failures that leave nothing behind, and ``timer-app --report`` with no
display. The pages are also rendered to PNG (tests/artifacts/report) to be looked at."""

from __future__ import annotations

import os
import subprocess
import sys
import unicodedata
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from tests import drill_history
from tests.drill_history import END, START, month_of_sessions, record
from timer_app.paths import history_db_path
from timer_app.report.writer import ReportError, write_report
from timer_app.storage.history import History

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts" / "report"


#: Dates shown are local time: pin it to UTC, so the expected text is fixed.
pytestmark = pytest.mark.usefixtures("utc_local_time")


def pdf_text(path: Path) -> str:
    """The PDF's text; NFKC undoes the font's ligatures ("ﬀ" is "ff")."""
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return unicodedata.normalize("NFKC", out)


def pdf_info(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def render_pages(pdf: Path, name: str) -> list[Path]:
    """The PDF's pages as PNGs in tests/artifacts/report, to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "80", "-png", str(pdf), str(ARTIFACTS / name)], check=True)
    return sorted(ARTIFACTS.glob(f"{name}-*.png"))


def test_month_report_reads_back_as_text(qapp: object, tmp_path: Path) -> None:
    pdf = tmp_path / "physio.pdf"
    written = write_report(
        pdf, month_of_sessions(), unit="blocks", block_cm=7.5, since=None, now=END
    )
    info = pdf_info(pdf)
    assert 1 <= int(info["Pages"]) <= 3 and int(info["Pages"]) == written.pages
    assert info["Page size"].startswith("595 x 842")  # A4 in points
    assert info["Title"] == "Hip mobility report"
    text = pdf_text(pdf)
    flat = " ".join(text.split())
    assert "Hip mobility report" in flat
    assert "Period: 2026-10-05 to 2026-11-01 · 31 sessions · heights in blocks" in flat
    assert "Left and right over time" in flat and "Right − left" in flat
    assert "Which drill works" in flat
    assert (
        "Left side: Sleeper hip rotations, internal and external helps most, +1 block a session"
        in flat
    )
    assert "Right side: Hip internal rotation, lying helps most" in flat
    assert "the gain rests on 2 sessions: fewer than 3, too few to trust yet" in flat
    # The sessions table: a row with before → after per side, pain and the note.
    row = next(line for line in text.splitlines() if line.strip().startswith("2026-10-08 07:30"))
    # (pdftotext drops some spaces between columns: compare without them)
    expected = (
        "2026-10-08 07:30 Hip internal rotation, lying 3.15 → 3.65 4 → 5 0 / 0 knee a bit stiff"
    )
    assert "".join(row.split()) == "".join(expected.split())
    assert written.sessions_shown == 31 and written.sessions_left_out == 0
    # Page one is a summary to hand over on its own: the sessions start on page two.
    first_page = text.split("\f")[0]
    assert "Which drill works" in first_page and "2026-10-05 07:30" not in first_page
    assert render_pages(pdf, "month")
    chart = QImage(str(written.chart_png))
    assert (chart.width(), chart.height()) == (1600, 900)
    assert written.chart_png == tmp_path / "physio.png"


def test_a_long_history_keeps_to_three_pages_and_says_what_is_left_out(
    qapp: object, tmp_path: Path
) -> None:
    sessions = [
        record("hip-ir-lying", START + timedelta(days=day), (3, 4), (4, 5), note="fine")
        for day in range(200)
    ]
    pdf = tmp_path / "long.pdf"
    now = START + timedelta(days=201)
    written = write_report(pdf, sessions, unit="cm", block_cm=7.5, since=None, now=now)
    assert int(pdf_info(pdf)["Pages"]) == written.pages == 3
    assert written.sessions_left_out > 0
    assert written.sessions_shown + written.sessions_left_out == 200
    flat = " ".join(pdf_text(pdf).split())
    assert f"The {written.sessions_left_out} oldest sessions of the period are left out" in flat
    # The newest session is always in.
    assert (START + timedelta(days=199)).strftime("%Y-%m-%d 07:30") in flat
    assert "heights in centimetres" in flat
    render_pages(pdf, "long")


def test_no_sessions_is_a_one_page_report_that_says_so(qapp: object, tmp_path: Path) -> None:
    pdf = tmp_path / "empty.pdf"
    written = write_report(pdf, [], unit="blocks", block_cm=7.5, since=None, now=END)
    assert written.pages == 1
    flat = " ".join(pdf_text(pdf).split())
    assert "No sessions in this period." in flat
    assert "No session is measured both before and after yet" in flat


def test_a_folder_that_does_not_exist_is_one_message_and_no_file(
    qapp: object, tmp_path: Path
) -> None:
    target = tmp_path / "missing" / "r.pdf"
    with pytest.raises(ReportError) as info:
        write_report(target, month_of_sessions(), unit="blocks", block_cm=7.5, since=None, now=END)
    assert str(info.value) == f"{target}: cannot write: no folder {target.parent}"
    assert not target.parent.exists()


def test_a_failed_write_keeps_the_old_report(
    qapp: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from timer_app.report import writer

    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(b"%PDF old report")

    def broken(*_args: object) -> dict[str, int]:
        raise OSError("disk full")

    monkeypatch.setattr(writer, "_paint", broken)
    with pytest.raises(ReportError, match=r"r\.pdf: cannot write: disk full"):
        write_report(pdf, month_of_sessions(), unit="blocks", block_cm=7.5, since=None, now=END)
    assert pdf.read_bytes() == b"%PDF old report"
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix) == ["r.pdf"]


def _cli(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["TZ"] = "UTC"
    env.pop("QT_QPA_PLATFORM", None)
    return subprocess.run(
        [sys.executable, "-m", "timer_app", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=home,
    )


def test_cli_report_works_with_no_display(isolated_dirs: Path, tmp_path: Path) -> None:
    history_db_path().parent.mkdir(parents=True, exist_ok=True)
    with History(history_db_path()) as history:
        drill_history.seed(history)
    target = tmp_path / "for-my-physio.pdf"
    result = _cli("--report", str(target), "--since", "2026-10-20", home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    pages = int(pdf_info(target)["Pages"])
    assert result.stderr.strip() == (
        f"wrote {pages} page(s) to {target} and the chart to {tmp_path / 'for-my-physio.png'}"
    )
    flat = " ".join(pdf_text(target).split())
    assert "Period: 2026-10-20 to " in flat
    assert "2026-10-19 07:30" not in flat and "2026-10-20 07:30" in flat


def test_cli_report_needs_a_pdf_name(tmp_path: Path) -> None:
    result = _cli("--report", str(tmp_path / "report.txt"), home=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"{tmp_path / 'report.txt'}: the report is a PDF file: give a name ending in .pdf"
    )


@pytest.mark.parametrize(
    ("first", "last", "labels"),
    [
        ("2026-10-05", "2026-11-01", ["10 Oct", "15 Oct", "20 Oct", "25 Oct", "30 Oct"]),
        (
            "2026-01-15",
            "2026-12-20",
            ["Mar 2026", "May 2026", "Jul 2026", "Sep 2026", "Nov 2026"],
        ),
        ("2006-01-01", "2025-12-27", ["2009", "2012", "2015", "2018", "2021", "2024"]),
    ],
)
def test_chart_dates_are_never_ambiguous(first: str, last: str, labels: list[str]) -> None:
    """A month's chart reads in days, a year's in months with the year, 20 years in years."""
    from datetime import datetime

    from timer_app.report.chart_parts import date_ticks

    low = datetime.fromisoformat(first + "T07:00:00+00:00").timestamp()
    high = datetime.fromisoformat(last + "T07:00:00+00:00").timestamp()
    ticks = date_ticks(low, high)
    assert [label for _, label in ticks] == labels
    assert all(low <= moment <= high for moment, _ in ticks)


def test_a_few_sessions_fit_on_one_page(qapp: object, tmp_path: Path) -> None:
    sessions = month_of_sessions()[:3]
    pdf = tmp_path / "short.pdf"
    written = write_report(pdf, sessions, unit="blocks", block_cm=7.5, since=None, now=END)
    assert int(pdf_info(pdf)["Pages"]) == written.pages == 1
    flat = " ".join(pdf_text(pdf).split())
    assert "Sessions" in flat and "2026-10-07 07:30" in flat
    render_pages(pdf, "short")
