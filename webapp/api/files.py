"""Files in the API: my files (seed 000), a plain multipart upload (seed 000), the signed
upload flow upload-url -> PUT -> complete (seed 002), and delete. Every upload is checked by
its content; downloads go through `files.download`, which applies the `file.view` rule."""

from __future__ import annotations

from datetime import datetime

from flask import request, url_for
from flask_babel import gettext as _
from pydantic import BaseModel, Field

from webapp.api import bp
from webapp.api.framework import OPERATIONS, Operation, api_route, to_response
from webapp.api.principal import resolve
from webapp.api.schemas import Input, either
from webapp.core.errors import ValidationFailed
from webapp.core.pagination import page_args
from webapp.files import services as files

TAGS = ("files",)


class FileOut(BaseModel):
    """A stored file, with the spellings of seeds 000 (filename, created_at) and 002 (fileName, mimeType, uploadedAt)."""

    id: int
    kind: str = Field(description="avatar, photo, cv or document.")
    filename: str
    fileName: str  # noqa: N815  (seed 002 spelling)
    size: int
    content_type: str
    mimeType: str  # noqa: N815
    url: str
    created_at: datetime
    uploadedAt: datetime  # noqa: N815

    @classmethod
    def of(cls, file) -> FileOut:
        name = files.download_name(file)
        return cls(id=file.id, kind=file.kind, filename=name, fileName=name, size=file.size,
                   content_type=file.content_type, mimeType=file.content_type,
                   url=url_for("files.download", file_id=file.id, _external=True),
                   created_at=file.created_at, uploadedAt=file.created_at)


class FileListOut(BaseModel):
    items: list[FileOut]
    total: int
    page: int
    per_page: int
    pages: int


class UploadUrlIn(Input):
    fileName: str = Field(validation_alias=either("fileName", "file_name", "filename"))  # noqa: N815
    fileType: str = Field(validation_alias=either("fileType", "file_type", "content_type"))  # noqa: N815
    fileSize: int = Field(validation_alias=either("fileSize", "file_size", "size"))  # noqa: N815
    category: str = Field(validation_alias=either("category", "kind"), description="avatar, photo, cv or document.")


class UploadUrlOut(BaseModel):
    uploadUrl: str = Field(description="PUT the raw bytes here once, before expiresAt.")  # noqa: N815
    fileId: int  # noqa: N815
    expiresAt: datetime  # noqa: N815
    method: str = "PUT"
    maxSize: int = Field(description="The largest body the URL accepts, in bytes.")  # noqa: N815


class CompleteIn(Input):
    fileId: int = Field(validation_alias=either("fileId", "file_id", "id"))  # noqa: N815
    fileName: str | None = Field(None, validation_alias=either("fileName", "file_name", "filename"))  # noqa: N815


def _me():
    return resolve().user


@api_route(bp, "/files", "GET", summary="My files", tags=TAGS, response=FileListOut, errors=(401,))
def list_files():
    page, per_page = page_args(request.args)
    return files.list_files(_me(), page, per_page).envelope(lambda f: FileOut.of(f).model_dump(mode="json"))


@api_route(bp, "/files/upload", "POST", summary="Upload a file (multipart)", tags=TAGS, response=FileOut, status=201,
           errors=(401, 413, 422),
           description="multipart/form-data with the file in `file` and `kind` (avatar, photo, cv or document; "
                       "default document). The content decides what a file is: a PNG named .pdf is refused. "
                       "A talent's photo or CV becomes their profile's.")
def upload_file():
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ValidationFailed(fields={"file": [_("Choose a file to upload.")]})
    kind = request.form.get("kind") or request.form.get("category") or "document"
    rule = files.rule_for(kind)
    data = upload.read(rule.max_bytes + 1)
    return FileOut.of(files.store_upload(_me(), kind, upload.filename, data)), 201


@api_route(bp, "/files/upload-url", "POST", summary="Ask for a signed upload URL", tags=TAGS, body=UploadUrlIn,
           response=UploadUrlOut, errors=(401, 413, 422))
def upload_url(body: UploadUrlIn):
    """Step 1 of 3: the URL accepts one PUT of the raw bytes, then `POST /files/complete`."""
    record, token = files.start_signed_upload(_me(), body.fileName, body.fileType, body.fileSize, body.category)
    return UploadUrlOut(uploadUrl=url_for("api.signed_upload_put", token=token, _external=True), fileId=record.id,
                        expiresAt=record.expires_at, maxSize=record.size)


def signed_upload_put(token: str):
    """Step 2 of 3: the signed URL itself. The token in the path is the credential (no cookie
    or header needed, as with a storage service's signed URL); it works once."""
    record = files.receive_signed_upload(token, request.stream, request.content_length)
    return to_response({"fileId": record.id, "size": record.size, "status": "uploaded"}, 200)


bp.add_url_rule("/files/uploads/<token>", endpoint="signed_upload_put", view_func=signed_upload_put, methods=["PUT"])
OPERATIONS.append(Operation(
    rule="/files/uploads/<token>", method="PUT", endpoint="signed_upload_put", summary="PUT the bytes to a signed URL",
    tags=TAGS, body=None, query=None, response=None, status=200, auth="none", permission=None,
    description=(signed_upload_put.__doc__ or "").strip(), errors=(403, 413, 422),
    content_type="application/json", view=signed_upload_put,
))


@api_route(bp, "/files/complete", "POST", summary="Finish a signed upload", tags=TAGS, body=CompleteIn,
           response=FileOut, errors=(401, 404, 413, 422))
def complete_upload(body: CompleteIn):
    """Step 3 of 3: the bytes are checked by their content (a PNG named .pdf is refused) and kept."""
    return FileOut.of(files.complete_signed_upload(_me(), body.fileId, body.fileName))


@api_route(bp, "/files/<int:file_id>", "DELETE", summary="Delete a file", tags=TAGS, status=204,
           errors=(401, 403, 404))
def delete_file(file_id: int):
    files.delete_file(_me(), file_id)
    return None
