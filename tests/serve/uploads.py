"""What a browser uploads, made by the libraries people use: an xlsx roster in a multipart form."""

from __future__ import annotations

import io

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def roster_xlsx(name: str, number: str) -> bytes:
    """A one-row 氏名/個人番号 roster written by openpyxl."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["氏名", "個人番号"])
    wb.active.append([name, number])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def multipart_upload(filename: str, data: bytes, boundary: str = "----formboundary7MA4YWxk") -> tuple[bytes, str]:
    """(body, Content-Type) of a form with one file field, as RFC 7578 and browsers write it."""
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n"
            f"Content-Type: {XLSX_TYPE}\r\n\r\n").encode()
    return body + data + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"
