"""The text of each page of a PDF (pypdf), for tests of printed reports: {"path"} in, {"pages": [text, ...]} out."""
import json
import sys

from pypdf import PdfReader

request = json.load(sys.stdin)
reader = PdfReader(request["path"])
json.dump({"pages": [page.extract_text() or "" for page in reader.pages], "title": (reader.metadata or {}).get("/Title")}, sys.stdout)
