"""Outputs that are never half written, and the research tables (reports, claims, checks).

Every file goes to a temporary name in the same folder, is fsynced, then ``os.replace``d over
its final name, so a reader (or a resumed batch) sees either the old file or the whole new one.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from gongkai.schema import ActiveDisclosure, Report, Requests, ReviewLitigation

TMP_PREFIX = ".gongkai-tmp-"
FORMATS = ("json", "jsonl", "csv", "xlsx", "parquet")


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that ``path`` is never seen partly written."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=TMP_PREFIX, suffix=".part", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600: outputs get the usual permissions
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    _fsync_dir(path.parent)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (best effort: not every platform can open a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


INDENT_ENV = "GONGKAI_JSON_INDENT"


def json_indent() -> int | None:
    """Indentation for written JSON: ``$GONGKAI_JSON_INDENT`` (``gongkai extract --indent`` sets it,
    so pool and Ray workers see it too), else none. Compact by default: indenting a report costs
    ~13% of the rules path and a third more bytes, and programs read these files."""
    raw = os.environ.get(INDENT_ENV, "").strip()
    if not raw:
        return None
    try:
        n = int(raw)
    except ValueError:
        raise ValueError(f"{INDENT_ENV}={raw!r}: expected a whole number of spaces") from None
    return n if n > 0 else None


def dumps_json(obj: object, indent: int | None = None) -> str:
    """``obj`` as UTF-8-friendly JSON: compact (no spaces) unless ``indent`` is given."""
    if indent:
        return json.dumps(obj, ensure_ascii=False, indent=indent)
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def atomic_write_json(path: Path, obj: object) -> None:
    atomic_write_text(path, dumps_json(obj, json_indent()) + "\n")


def leftover_temp_files(folder: Path) -> list[Path]:
    """Temporary files a killed run may have left (never mistaken for outputs)."""
    return sorted(Path(folder).glob(f"{TMP_PREFIX}*"))


# ----------------------------------------------------------------------- research tables
# Three tables a researcher loads: ``reports`` (one wide row per document, failed ones included
# with their error), ``claims`` and ``checks`` (long: one row per claim / per check), each row
# naming its document and input file.

def _table_columns(table: str, model: type) -> list[str]:
    cols = []
    for row, field in model.model_fields.items():
        row_model = field.annotation.__args__[0]  # RowModel | None
        cols.extend(f"{table}.{row}.{col}" for col in row_model.model_fields)
    return cols


LOW_CONFIDENCE = 0.9  # a value below this is counted in n_low_confidence
HEAD_COLUMNS = ["doc_id", "status", "file", "error"]
META_COLUMNS = ["meta.organ", "meta.report_year", "meta.publish_date", "meta.template"]
TABLE_COLUMNS = (
    _table_columns("active_disclosure", ActiveDisclosure)
    + _table_columns("requests", Requests)
    + _table_columns("review_litigation", ReviewLitigation)
)
SUMMARY_COLUMNS = ["n_sections", "n_claims", "checks_passed", "checks_failed", "checks_skipped", "failed_checks",
                   "confidence_min", "n_low_confidence", "method"]
COLUMNS = [*HEAD_COLUMNS, *META_COLUMNS, *TABLE_COLUMNS, *SUMMARY_COLUMNS]
CLAIM_COLUMNS = ["doc_id", "file", "type", "value", "unit", "scope", "breakdown", "approximate", "share", "text",
                 "start", "end"]
CHECK_COLUMNS = ["doc_id", "file", "rule", "status", "detail"]
VALUE_COLUMNS = ["doc_id", "file", "field", "number", "text", "raw", "source", "confidence", "start", "end"]
TABLES = {"reports": COLUMNS, "claims": CLAIM_COLUMNS, "checks": CHECK_COLUMNS, "values": VALUE_COLUMNS}

STRING_COLUMNS = {"doc_id", "status", "file", "error", "meta.organ", "meta.publish_date", "meta.template",
                  "failed_checks", "method", "type", "unit", "scope", "breakdown", "text", "rule", "detail",
                  "field", "raw", "source"} | {
    c for c in TABLE_COLUMNS if c.endswith(".amount_unit")
}
INT_COLUMNS = {"meta.report_year", "n_sections", "n_claims", "checks_passed", "checks_failed", "checks_skipped",
               "n_low_confidence", "start", "end"}
BOOL_COLUMNS = {"approximate"}


def flatten(report: dict, file: str | None = None) -> dict:
    """One flat row for a Report JSON dict: the same columns, in the same order, for every
    document (absent rows give None), so rows of a batch stack into one table."""
    report = Report.model_validate(report).to_json_dict()  # only a valid report makes a row
    row: dict = {"doc_id": report["doc_id"], "status": "done", "file": file, "error": None}
    for key in META_COLUMNS:
        row[key] = report["meta"].get(key.split(".", 1)[1])
    for key in TABLE_COLUMNS:
        table, r, c = key.split(".")
        cells = report[table].get(r) or {}
        row[key] = cells.get(c)
    checks = report.get("checks", [])
    row["n_sections"] = sum(1 for s in report["sections"].values() if s)
    row["n_claims"] = len(report.get("claims", []))
    for status, name in (("pass", "checks_passed"), ("fail", "checks_failed"), ("skipped", "checks_skipped")):
        row[name] = sum(1 for c in checks if c["status"] == status)
    row["failed_checks"] = ";".join(c["rule"] for c in checks if c["status"] == "fail") or None
    conf = [p["confidence"] for p in report.get("provenance", {}).values()]
    row["confidence_min"] = min(conf) if conf else None
    row["n_low_confidence"] = sum(1 for c in conf if c < LOW_CONFIDENCE)
    row["method"] = report["method"]
    return row


def failed_row(doc_id: str, file: str | None, error: str) -> dict:
    """The reports-table row of a document that failed: its id, file and error, nothing else."""
    row = dict.fromkeys(COLUMNS)
    row.update(doc_id=doc_id, status="failed", file=file, error=error)
    return row


def _value_rows(report: dict, file: str | None) -> list[dict]:
    """One row per value the output has provenance for: the value (a number or a text), the raw
    text it was read from, which component produced it, its confidence and offsets."""
    rows = []
    for path, p in report.get("provenance", {}).items():
        cur = report
        for part in path.split("."):
            cur = cur.get(part) if isinstance(cur, dict) else None
        number = cur if isinstance(cur, int | float) and not isinstance(cur, bool) else None
        rows.append({"doc_id": report["doc_id"], "file": file, "field": path, "number": number,
                     "text": cur if isinstance(cur, str) else None, "raw": p.get("raw"), "source": p.get("source"),
                     "confidence": p.get("confidence"), "start": p.get("start"), "end": p.get("end")})
    return rows


def long_rows(report: dict, file: str | None = None) -> dict[str, list[dict]]:
    """The document's rows of the long tables: ``claims``, ``checks`` and ``values`` (every value
    with its confidence)."""
    doc_id = report["doc_id"]
    claims = [{"doc_id": doc_id, "file": file, **{k: c.get(k) for k in CLAIM_COLUMNS[2:]}}
              for c in report.get("claims", [])]
    checks = [{"doc_id": doc_id, "file": file, **{k: c.get(k) for k in CHECK_COLUMNS[2:]}}
              for c in report.get("checks", [])]
    return {"claims": claims, "checks": checks, "values": _value_rows(report, file)}


def _arrow_table(rows: list[dict], columns: list[str]):
    import pyarrow as pa

    fields = []
    for col in columns:
        if col in STRING_COLUMNS:
            typ = pa.string()
        elif col in INT_COLUMNS:
            typ = pa.int64()
        elif col in BOOL_COLUMNS:
            typ = pa.bool_()
        else:
            typ = pa.float64()  # table cells: integers and decimals (2406.2243) share a column
        fields.append(pa.field(col, typ))
    schema = pa.schema(fields)
    data = {col: [r.get(col) for r in rows] for col in columns}
    for col in columns:
        if schema.field(col).type == pa.float64():
            data[col] = [None if v is None else float(v) for v in data[col]]
    return pa.Table.from_pydict(data, schema=schema)


def dataset_bytes(rows: Iterable[dict], fmt: str, columns: list[str] = COLUMNS) -> bytes:
    """The rows as a ``fmt`` file (jsonl, csv or parquet) in memory. CSV starts with a UTF-8 BOM
    so that spreadsheet programs (Excel on Chinese Windows) read the Chinese text as UTF-8."""
    rows = list(rows)
    if fmt == "jsonl":
        return "".join(json.dumps({k: r.get(k) for k in columns}, ensure_ascii=False) + "\n"
                       for r in rows).encode("utf-8")
    if fmt == "csv":
        import csv
        import io

        buf = io.StringIO(newline="")
        w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\r\n", extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow({k: "" if r.get(k) is None else r.get(k) for k in columns})
        return buf.getvalue().encode("utf-8-sig")
    if fmt == "parquet":
        import io

        import pyarrow.parquet as pq

        sink = io.BytesIO()
        pq.write_table(_arrow_table(rows, columns), sink)
        return sink.getvalue()
    raise ValueError(f"unknown dataset format {fmt!r}; choose from jsonl, csv, parquet, xlsx")


XLSX_MAX_CELL = 32767  # characters Excel keeps in one cell


def xlsx_bytes(tables: dict[str, list[dict]]) -> bytes:
    """One workbook, one sheet per table (header row frozen); text cells are always text, never
    formulas, and cut to Excel's cell limit."""
    import io

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    for name, rows in tables.items():
        ws = wb.create_sheet(name)
        ws.freeze_panes = "A2"
        columns = TABLES[name]
        ws.append(columns)
        for r in rows:
            cells = []
            for col in columns:
                v = r.get(col)
                cell = WriteOnlyCell(ws, value=v[:XLSX_MAX_CELL] if isinstance(v, str) else v)
                if isinstance(v, str):
                    cell.data_type = "s"
                cells.append(cell)
            ws.append(cells)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_dataset(rows: Iterable[dict], out_dir: Path, fmt: str) -> Path:
    """Write OUT_DIR/reports.<fmt> atomically; rows sorted by doc_id so reruns give equal files."""
    return write_datasets({"reports": list(rows)}, out_dir, fmt)[0]


def write_datasets(tables: dict[str, list[dict]], out_dir: Path, fmt: str) -> list[Path]:
    """Write each table as OUT_DIR/<table>.<fmt> (xlsx: one workbook OUT_DIR/reports.xlsx with a
    sheet per table), rows in doc_id order (their own order within a document)."""
    tables = {name: sorted(rows, key=lambda r: r["doc_id"]) for name, rows in tables.items()}
    if fmt == "xlsx":
        path = Path(out_dir) / "reports.xlsx"
        atomic_write_bytes(path, xlsx_bytes(tables))
        return [path]
    paths = []
    for name, rows in tables.items():
        path = Path(out_dir) / f"{name}.{fmt}"
        atomic_write_bytes(path, dataset_bytes(rows, fmt, TABLES[name]))
        paths.append(path)
    return paths
