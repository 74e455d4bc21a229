"""Serves the hotline agents' console (/console); the page itself calls the tickets and assist APIs."""

from fastapi import APIRouter
from fastapi.responses import FileResponse

from service.booking.router import STATIC_DIR

router = APIRouter(tags=["console"], include_in_schema=False)


@router.get("/console")
def console_page() -> FileResponse:
    return FileResponse(STATIC_DIR / "console.html", media_type="text/html; charset=utf-8")
