"""Evidence fixtures built through the real services, and small real files of each kind."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta

from PIL import Image

from app.models import Party
from app.services.evidence import portfolio
from tests.factories.apprenticeships import setting, start_it

# A minimal PDF that ends as a PDF must.
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def png(size=(4, 4)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "teal").save(out, "PNG")
    return out.getvalue()


def docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><document/>')
    return out.getvalue()


def entry(
    s,
    *,
    by: str = "apprentice",
    submit: bool = True,
    outcomes=None,
    title: str = "Replaced a fuel pump",
    kind=None,
    file=None,
):
    """An entry by the apprentice (or the line manager), claiming the first KSB by default."""
    member = s.apprentice if by == "apprentice" else s.line_manager
    party = Party.APPRENTICE if by == "apprentice" else Party.EMPLOYER
    ksbs = outcomes if outcomes is not None else [s.apprenticeship.programme.outcomes[0].id]
    made = portfolio.record(
        member.user,
        s.apprenticeship,
        portfolio.EntryDetails(
            title=title,
            work_date=date.today() - timedelta(days=3),
            description="Stripped, replaced and tested the pump under supervision.",
            type=kind or ("product_of_work" if by == "apprentice" else "witness_testimony"),
            outcome_ids=list(ksbs),
        ),
        {party},
        date.today(),
    )
    if file is not None:
        portfolio.attach(member.user, s.apprenticeship, made, file[0], file[1])
    if submit:
        portfolio.submit(member.user, s.apprenticeship, made)
    return made


def _isolation_entry(t):
    from tests.factories.apprenticeships import _isolation_setting

    s = _isolation_setting(t)

    def make():
        if s.apprenticeship.status == "planned":
            start_it(s)
        return entry(s, title=f"{t.made.get('label', '')}Evidence", file=("report.pdf", PDF))

    return t.once("evidence_entry", make)


ISOLATION_PARAMS = {
    "evidence_id": lambda t: _isolation_entry(t).id,
    "file_id": lambda t: _isolation_entry(t).files[0].id,
}


def started_setting(**kwargs):
    return setting(started=True, **kwargs)
