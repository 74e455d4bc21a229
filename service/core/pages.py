"""The web pages' folder (HTML, scripts, styles) and how one page is served."""

from pathlib import Path

from fastapi.responses import FileResponse

STATIC_DIR = Path(__file__).resolve().parents[1] / "static"


def page(name: str) -> FileResponse:
    return FileResponse(STATIC_DIR / name, media_type="text/html; charset=utf-8")
