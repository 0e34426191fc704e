"""Hostile statements render inert: no request leaves, no file is read or attached."""

import io

import pytest
from pypdf import PdfReader

from portal.pdf import (
    STATIC_BASE_URL,
    RefusedURL,
    SafeURLFetcher,
    StatementDocument,
    render_statement_pdf,
    write_pdf,
)


def test_markdown_images_and_links_fetch_nothing(tripwire):
    url, hits = tripwire
    body = (
        f"![pixel]({url}/md.png) and [a link]({url}/page) and <img src='{url}/raw.png'>\n\n"
        f"![local](file:///etc/passwd) and <link rel=attachment href=file:///etc/passwd>\n"
    )
    pdf = render_statement_pdf(StatementDocument(title="Hostile", body=body))
    assert hits == []
    reader = PdfReader(io.BytesIO(pdf))
    assert "/EmbeddedFiles" not in reader.trailer["/Root"].get("/Names", {})
    assert b"root:" not in pdf


def test_write_pdf_refuses_everything_but_static_files(tripwire):
    url, hits = tripwire
    html = (
        "<html><head><link rel=stylesheet href=css/pdf.css>"
        f"<link rel=stylesheet href='{url}/x.css'>"
        "<link rel=attachment href='file:///etc/passwd'>"
        "<link rel=attachment href='fonts/Carlito-Regular.ttf'></head><body>"
        f"<img src='{url}/i.png'><img src='file:///etc/passwd'>"
        "<img src='data:image/svg+xml,<svg xmlns=\"http://www.w3.org/2000/svg\"/>'>"
        f"<a rel=attachment href='{url}/a'>x</a>"
        "<p style=\"background: url('file:///etc/hostname')\">text</p></body></html>"
    )
    pdf = write_pdf(html)
    assert hits == []
    reader = PdfReader(io.BytesIO(pdf))
    assert "/EmbeddedFiles" not in reader.trailer["/Root"].get("/Names", {})
    assert b"root:" not in pdf


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        STATIC_BASE_URL + "../portal/config.py",
        STATIC_BASE_URL + "fonts/../../portal/config.py",
        STATIC_BASE_URL + "js/localtime.js",
        STATIC_BASE_URL + "fonts/Carlito-OFL.txt",
        "http://127.0.0.1:1/x.css",
        "https://example.org/x.css",
        "data:text/css,body{}",
        "ftp://example.org/x",
    ],
)
def test_fetcher_refuses(url):
    fetcher = SafeURLFetcher()
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_fetcher_serves_static_fonts_and_css():
    fetcher = SafeURLFetcher()
    response = fetcher.fetch(STATIC_BASE_URL + "css/pdf.css")
    assert b"@font-face" in response.read()
    font = fetcher.fetch(STATIC_BASE_URL + "fonts/Carlito-Regular.ttf")
    assert font.content_type == "font/ttf"
