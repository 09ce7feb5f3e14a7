"""What counts as a receipt: a PDF, JPEG or PNG, judged by its content, under 5 MB.

One check for the payment form (so a bad file is shown with the form) and the payment
service (which trusts nobody), so the two can never disagree."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

RECEIPT_MAX_BYTES = 5 * 1024 * 1024
RECEIPT_TYPES = (
    (b"%PDF-", ".pdf"),
    (b"\xff\xd8\xff", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", ".png"),
)


def receipt_check(upload: UploadedFile) -> str:
    """The file extension for an acceptable receipt, judged by its content, or a
    ValidationError with a clear message."""
    if upload.size is not None and upload.size > RECEIPT_MAX_BYTES:
        raise ValidationError("The receipt must be smaller than 5 MB.")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for magic, extension in RECEIPT_TYPES:
        if head.startswith(magic):
            return extension
    raise ValidationError("The receipt must be a PDF, a JPEG photo or a PNG image.")
