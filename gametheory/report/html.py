"""A self-contained HTML page from the document model (headings, paragraphs, tables, lists, figures).

The page needs no network: the stylesheet is inline, plots are embedded as
base64 PNG (``data:`` URIs) or inline SVG, and nothing is fetched. It prints
cleanly (tables and figures are kept on one page where they fit). Every piece
of text is HTML-escaped, so a scenario file cannot inject markup.

Payoff cells keep the ``*`` that marks a best response and are also shown in
bold, so the mark survives black-and-white printing and is visible on a
projector.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence

from ..escape import html as escape_html
from .document import Bullets, Equations, Figure, Heading, Lead, Para, Table

#: A payoff that is a best response: a number followed by ``*`` (``7*``, ``-11/16*``, ``0.5*``).
_BEST = re.compile(r"(?<![\w*])(-?\d+(?:\.\d+)?(?:/\d+)?(?:e[-+]?\d+)?)\*")

CSS = """
:root { --ink: #1b1f24; --muted: #57606a; --rule: #d0d7de; --accent: #0b5cad; --soft: #f3f6f9; --best: #7a2e00; }
* { box-sizing: border-box; }
html { font-size: 17px; }
body { margin: 0 auto; max-width: 1100px; padding: 1.5rem 2rem 3rem; color: var(--ink);
       font-family: "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; line-height: 1.5; background: #fff; }
h1 { font-size: 1.9rem; line-height: 1.2; margin: 0.4rem 0 0.8rem; border-bottom: 3px solid var(--accent); \
padding-bottom: 0.3rem; }
h2 { font-size: 1.35rem; margin: 2rem 0 0.6rem; color: var(--accent); border-bottom: 1px solid var(--rule); \
padding-bottom: 0.15rem; }
h3 { font-size: 1.1rem; margin: 1.4rem 0 0.4rem; }
p { margin: 0.5rem 0; }
p.lead { font-size: 1.08rem; background: var(--soft); border-left: 4px solid var(--accent); padding: 0.6rem 0.9rem; }
table { border-collapse: collapse; margin: 0.6rem 0 1rem; font-size: 0.92rem; max-width: 100%; }
caption { caption-side: top; text-align: left; font-weight: bold; color: var(--muted); padding: 0.2rem 0; }
th, td { border: 1px solid var(--rule); padding: 0.3rem 0.55rem; vertical-align: top; text-align: left; }
th { background: var(--soft); }
tbody tr:nth-child(even) td { background: #fafbfc; }
td.num { white-space: nowrap; font-variant-numeric: tabular-nums; }
.best { font-weight: bold; color: var(--best); }
ul, ol { margin: 0.4rem 0 0.8rem 1.4rem; padding: 0; }
li { margin: 0.2rem 0; }
pre.eq { background: var(--soft); border: 1px solid var(--rule); border-radius: 4px; padding: 0.6rem 0.9rem;
         font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 0.9rem; white-space: pre-wrap; overflow-x: auto; }
figure { margin: 1rem 0; text-align: center; }
figure img, figure svg { max-width: 100%; height: auto; border: 1px solid var(--rule); }
figcaption { color: var(--muted); font-size: 0.9rem; margin-top: 0.3rem; }
footer { margin-top: 2.5rem; color: var(--muted); font-size: 0.85rem; border-top: 1px solid var(--rule); padding-top: 0.5rem; }
@media print {
  html { font-size: 11pt; }
  body { max-width: none; padding: 0; }
  h2, h3 { break-after: avoid; }
  table, figure, pre.eq { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""


def escape(text: object) -> str:
    """HTML-escaped text (quotes too, so it is also safe inside attributes)."""
    return escape_html(text)


def cell_html(text: object) -> str:
    """A table cell's content: escaped, best-response payoffs (``7*``) in bold."""
    return _BEST.sub(lambda m: f'<span class="best" style="font-weight:bold">{m.group(1)}*</span>', escape(text))


def _is_numeric(text: str) -> bool:
    return bool(re.fullmatch(r"[-+0-9./*, e]+", str(text).strip())) and any(c.isdigit() for c in str(text))


def table_html(table: Table) -> str:
    """A ``<table>`` with an optional caption; numeric cells are kept on one line."""
    out = ["<table>"]
    if table.caption:
        out.append(f"<caption>{escape(table.caption)}</caption>")
    out.append("<thead><tr>" + "".join(f"<th>{escape(h)}</th>" for h in table.header) + "</tr></thead>")
    out.append("<tbody>")
    for row in table.rows:
        cells = []
        for cell in row:
            cls = ' class="num"' if _is_numeric(cell) else ""
            cells.append(f"<td{cls}>{cell_html(cell)}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def image_html(data: bytes, mime: str = "image/png", alt: str = "", caption: str = "") -> str:
    """A figure embedded in the page: PNG as a base64 ``data:`` URI, SVG inline."""
    if mime == "image/svg+xml":
        text = data.decode("utf-8")
        start = text.find("<svg")
        body = text[start:] if start >= 0 else text
    else:
        encoded = base64.b64encode(data).decode("ascii")
        body = f'<img src="data:{mime};base64,{encoded}" alt="{escape(alt)}">'
    cap = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
    return f"<figure>{body}{cap}</figure>"


def block_html(block) -> str:
    """One block of the document model (:mod:`.document`), or a block that renders itself (a drawn game tree)."""
    if isinstance(block, Heading):
        level = min(max(block.level, 1), 6)
        return f"<h{level}>{escape(block.text)}</h{level}>"
    if isinstance(block, Para):
        return f"<p>{escape(block.text)}</p>"
    if isinstance(block, Table):
        return table_html(block)
    if isinstance(block, Bullets):
        tag = "ol" if block.numbered else "ul"
        return f"<{tag}>" + "".join(f"<li>{cell_html(i)}</li>" for i in block.items) + f"</{tag}>"
    if not isinstance(block, (Equations, Figure, Lead)) and hasattr(block, "render"):
        return block.render("html")  # blocks that render themselves (e.g. a drawn game tree)
    if isinstance(block, Lead):
        return f'<p class="lead">{escape(block.text)}</p>'
    if isinstance(block, Equations):
        return '<pre class="eq">' + escape("\n".join(block.lines)) + "</pre>"
    if isinstance(block, Figure):
        return image_html(block.data, block.mime, alt=block.caption, caption=block.caption)
    raise TypeError(f"cannot render {type(block).__name__} as HTML")


def render_html(blocks: Sequence[object], *, title: str = "", footer: str = "", fragment: bool = False) -> str:
    """The blocks as one HTML page (``fragment=True``: only the body content, for a notebook)."""
    body = "\n".join(block_html(b) for b in blocks)
    if footer:
        body += f"\n<footer>{escape(footer)}</footer>"
    if fragment:
        return body
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title or 'gametheory')}</title>\n"
        f"<style>{CSS}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )
