"""/api/v1/exports: seed 003's direct downloads (users to Excel or CSV, cinema talents to
Excel), streamed as they are written; and background exports for any list, with their
progress and their file (owner or admin)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from flask import Response, send_file, url_for
from pydantic import BaseModel, Field

from webapp.api import bp
from webapp.api.framework import api_route
from webapp.api.principal import resolve
from webapp.api.schemas import Input, either
from webapp.insights import exports as service
from webapp.insights.models import Export

TAGS = ("exports",)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class CsvQuery(Input):
    bom: bool = Field(False, description="Start with a byte-order mark, so Excel reads the accents.")
    delimiter: Literal[",", ";", "comma", "semicolon"] = Field(
        ",", validation_alias=either("delimiter", "sep", "separator"),
        description="`;` (or `semicolon`) for French Excel.")

    @property
    def semicolon(self) -> bool:
        return self.delimiter in (";", "semicolon")


class ExportIn(Input):
    kind: Literal["users", "cinema", "directory", "casting", "shortlist"]
    format: Literal["xlsx", "csv"] = "xlsx"
    filters: dict = Field(default_factory=dict, description="directory/casting: the search's arguments; "
                                                             "shortlist: {\"project\": id}.")
    project_id: int | None = Field(None, description="For a shortlist (same as filters.project).")
    bom: bool = False
    semicolon: bool = False


class ExportOut(BaseModel):
    id: int
    kind: str
    format: str
    status: Literal["queued", "running", "ready", "failed", "expired"]
    rows_total: int | None
    rows_done: int
    progress: int = Field(description="Percent done.")
    filters: dict
    download_name: str
    size: int | None
    download_url: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    expires_at: datetime | None

    @classmethod
    def of(cls, export: Export) -> ExportOut:
        url = url_for("api.download_export_get", export_id=export.id, _external=True) \
            if export.status == "ready" else None
        return cls(id=export.id, kind=export.kind, format=export.format, status=export.status,
                   rows_total=export.rows_total, rows_done=export.rows_done, progress=export.progress,
                   filters=export.filters or {}, download_name=export.download_name, size=export.size,
                   download_url=url, created_at=export.created_at, started_at=export.started_at,
                   finished_at=export.finished_at, expires_at=export.expires_at)


class ExportListOut(BaseModel):
    items: list[ExportOut]
    total: int
    page: int
    per_page: int
    pages: int


def _me():
    return resolve().user


def _file(stream: service.Stream) -> Response:
    response = Response(stream.chunks, mimetype=stream.mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{stream.filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Export-Rows"] = str(stream.rows)
    return response


@api_route(bp, "/exports/users/excel", "GET", summary="Every profile, as an Excel file", tags=TAGS,
           permission="export.full", errors=(401, 403), content_type=XLSX)
def export_users_excel():
    """Administrators only. Streamed as it is written; no ethnicity, no guardian."""
    return _file(service.stream(_me(), service.Request("users", "xlsx")))


@api_route(bp, "/exports/users/csv", "GET", summary="Every profile, as a CSV file", tags=TAGS, query=CsvQuery,
           permission="export.full", errors=(401, 403, 422), content_type="text/csv")
def export_users_csv(query: CsvQuery):
    """Administrators only. UTF-8; `bom=true` for Excel, `delimiter=;` for French Excel."""
    return _file(service.stream(_me(), service.Request("users", "csv", bom=query.bom, semicolon=query.semicolon)))


@api_route(bp, "/exports/cinema/excel", "GET", summary="Every cinema talent, as an Excel file", tags=TAGS,
           permission="export.full", errors=(401, 403), content_type=XLSX)
def export_cinema_excel():
    """Administrators only."""
    return _file(service.stream(_me(), service.Request("cinema", "xlsx")))


@api_route(bp, "/exports/cinema/csv", "GET", summary="Every cinema talent, as a CSV file", tags=TAGS, query=CsvQuery,
           permission="export.full", errors=(401, 403, 422), content_type="text/csv")
def export_cinema_csv(query: CsvQuery):
    """Administrators only."""
    return _file(service.stream(_me(), service.Request("cinema", "csv", bom=query.bom, semicolon=query.semicolon)))


@api_route(bp, "/exports", "POST", summary="Start a background export", tags=TAGS, body=ExportIn, response=ExportOut,
           status=202, permission="export.list", errors=(401, 403, 404, 422, 429))
def start_export(body: ExportIn):
    """Full exports (`users`, `cinema`) for administrators; lists (`directory`, `casting`
    with the search's filters, `shortlist` of a project) for recruiters too. Poll
    `GET /exports/{id}` until `status` is `ready`, then download `download_url`."""
    filters = dict(body.filters)
    if body.kind == "shortlist" and body.project_id is not None:
        filters["project"] = body.project_id
    export = service.start(_me(), service.Request(body.kind, body.format, filters, body.bom, body.semicolon))
    return ExportOut.of(export)


@api_route(bp, "/exports", "GET", summary="My exports", tags=TAGS, response=ExportListOut, permission="export.list",
           errors=(401, 403))
def list_exports():
    exports = service.mine(_me())
    return {"items": [ExportOut.of(e).model_dump(mode="json") for e in exports], "total": len(exports), "page": 1,
            "per_page": max(len(exports), 1), "pages": 1}


@api_route(bp, "/exports/<int:export_id>", "GET", summary="An export's progress", tags=TAGS, response=ExportOut,
           errors=(401, 403, 404))
def get_export(export_id: int):
    return ExportOut.of(service.get(export_id, _me()))


@api_route(bp, "/exports/<int:export_id>/download", "GET", summary="Download an export's file", tags=TAGS,
           errors=(401, 403, 404, 409), content_type=XLSX)
def download_export(export_id: int):
    """Its owner or an administrator; 409 `export_not_ready` until it is ready, or once expired."""
    user = _me()
    export = service.get(export_id, user)
    response = send_file(service.file_of(export, user), mimetype=service.MIMETYPES[export.format],
                         as_attachment=True, download_name=export.download_name, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response
