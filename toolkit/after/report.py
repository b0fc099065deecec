"""The workshop report: the notebook ``notebooks/02_workshop_report.ipynb`` executed for a
session and converted (nbconvert) into one self-contained HTML file."""

from __future__ import annotations

import os
from pathlib import Path

from ..paths import notebooks_dir
from ..settings import Settings

__all__ = ["REPORT_NOTEBOOK", "build_report"]

REPORT_NOTEBOOK = "02_workshop_report.ipynb"
_TEMPLATES = Path(__file__).resolve().parent.parent / "jupyter_data" / "nbconvert" / "templates"


def _document_title(code: str, db_url: str, lang: str) -> str:
    """The HTML title: 'Verslag van de workshop: <session title>' in the report's language."""
    from ..i18n import t
    from ..store import Store

    store = Store.open(db_url)
    try:
        session = store.get_session(code)
    finally:
        store.close()
    title = t("rep_title", lang)
    return f"{title}: {session.title}" if session is not None and session.title else title


def build_report(
    code: str,
    output: str | Path,
    *,
    db_url: str,
    lang: str = "nl",
    notebook: str | Path | None = None,
    timeout: int = 300,
) -> Path:
    """Execute the report notebook for session ``code`` and write it as HTML to ``output``.

    The notebook reads ``WORKSHOP_REPORT_SESSION``, ``WORKSHOP_REPORT_LANG`` and
    ``WORKSHOP_DB`` (see :mod:`toolkit.settings`); a researcher can copy and adapt it and
    pass it as ``notebook``.
    """
    import nbformat
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import ExecutePreprocessor

    source = Path(notebook) if notebook else notebooks_dir() / REPORT_NOTEBOOK
    nb = nbformat.read(source, as_version=4)
    # The kernel nbconvert starts inherits this process's environment, for this run only.
    report = Settings(report_session=code, report_lang=lang, db=db_url).environ()
    previous = {k: os.environ.get(k) for k in report}
    os.environ.update(report)
    try:
        ExecutePreprocessor(timeout=timeout, kernel_name="python3").preprocess(
            nb, {"metadata": {"path": str(source.parent)}}
        )
    finally:
        for key, value in previous.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    from nbconvert.preprocessors import TagRemovePreprocessor

    TagRemovePreprocessor(remove_cell_tags={"report-hide"}, enabled=True).preprocess(nb, {})
    nb.metadata["title"] = _document_title(code, db_url, lang)
    exporter = HTMLExporter(
        template_name="workshop-report",
        extra_template_basedirs=[str(_TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        language_code=lang,
    )
    body, _resources = exporter.from_notebook_node(nb)
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(body, encoding="utf-8")
    return output
