#!/usr/bin/env python3
"""Generates module/en-US/KafkaReplication.dll-Help.xml (MAML help for Get-Help) from docs/cmdlets/*.md.

The cmdlet pages are the source; run this after editing them and commit both:

    python3 docs/tools/md2maml.py            # writes module/en-US/KafkaReplication.dll-Help.xml
    python3 docs/tools/md2maml.py --check    # exits 1 if the committed file is out of date

The pages follow the layout of docs/cmdlets/New-ReplicationFlow.md: "## Synopsis", "## Description", "## Syntax"
(a ```text block per parameter set, under "### <set name>" when there are several), "## Parameters" ("### -Name",
prose, then a ```yaml block with Type, Parameter Sets, Aliases, Accepted values, Required, Position, Default value,
Accept pipeline input, Accept wildcard characters), "## Inputs" and "## Outputs" ("### <type>" then prose),
"## Notes", "## Examples" ("### Example N: title", a ```powershell block, then remarks) and "## Related links".
"""
import pathlib
import re
import sys
from xml.sax.saxutils import escape

ROOT = pathlib.Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "cmdlets"
OUT = ROOT / "module" / "en-US" / "KafkaReplication.dll-Help.xml"

NS = ('xmlns:maml="http://schemas.microsoft.com/maml/2004/10" '
      'xmlns:command="http://schemas.microsoft.com/maml/dev/command/2004/10" '
      'xmlns:dev="http://schemas.microsoft.com/maml/dev/2004/10" '
      'xmlns:MSHelp="http://msdn.microsoft.com/mshelp"')


def sections(text, level):
    """Splits markdown into (heading, body) pairs at the given heading level, ignoring fenced blocks."""
    out, heading, body, fence = [], None, [], False
    marker = "#" * level + " "
    for line in text.splitlines():
        if line.startswith("```"):
            fence = not fence
        if not fence and line.startswith(marker):
            if heading is not None:
                out.append((heading, "\n".join(body).strip("\n")))
            heading, body = line[len(marker):].strip(), []
        elif heading is not None:
            body.append(line)
    if heading is not None:
        out.append((heading, "\n".join(body).strip("\n")))
    return out


def fences(text):
    return [(m.group(1).strip(), m.group(2)) for m in re.finditer(r"^```([^\n]*)\n(.*?)^```[ \t]*$", text, re.M | re.S)]


def strip_fences(text):
    return re.sub(r"^```[^\n]*\n.*?^```[ \t]*$", "", text, flags=re.M | re.S)


def plain(s):
    s = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", s)  # links -> text
    s = s.replace("`", "").replace("\\|", "|")
    return s.strip()


def paragraphs(text):
    """Prose to a list of paragraphs: blank lines separate, list items and table rows stay one per paragraph."""
    text = strip_fences(text)
    paras, current = [], []

    def flush():
        if current:
            paras.append(plain(" ".join(x.strip() for x in current)))
            current.clear()

    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            flush()
        elif stripped.startswith("|"):
            flush()
            cells = [c.strip() for c in stripped.strip("|").split("|")]
            if all(re.fullmatch(r":?-{3,}:?", c) for c in cells):
                continue
            paras.append(("table", cells))
        elif re.match(r"^([-*]|\d+\.) ", stripped):
            flush()
            current.append(stripped)
        else:
            current.append(stripped)
    flush()

    # Tables: drop the header row, render each row as one paragraph.
    result, i = [], 0
    while i < len(paras):
        p = paras[i]
        if isinstance(p, tuple):
            rows = []
            while i < len(paras) and isinstance(paras[i], tuple):
                rows.append(paras[i][1])
                i += 1
            for cells in rows[1:]:
                cells = [plain(c) for c in cells]
                if len(cells) == 3:
                    result.append(f"{cells[0]} ({cells[1]}): {cells[2]}")
                elif len(cells) == 2:
                    result.append(f"{cells[0]}: {cells[1]}")
                else:
                    result.append(" | ".join(cells))
            continue
        if p:
            result.append(p)
        i += 1
    return result


def paras_xml(text, indent):
    pad = " " * indent
    items = paragraphs(text) if isinstance(text, str) else text
    if not items:
        return f"{pad}<maml:para />\n"
    return "".join(f"{pad}<maml:para>{escape(p)}</maml:para>\n" for p in items)


def parse_meta(yaml_text):
    meta = {}
    for line in yaml_text.splitlines():
        if ":" in line:
            k, v = line.split(":", 1)
            meta[k.strip()] = v.strip()
    return meta


def parse_page(path):
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
    name = re.search(r"^# (\S+)", text, re.M).group(1)
    top = dict(sections(text, 2))
    page = {"name": name}
    page["synopsis"] = paragraphs(top["Synopsis"])
    page["description"] = top["Description"]

    # Syntax: one ```text block per parameter set.
    syntax_sets = []
    sets = sections(top["Syntax"], 3)
    if not sets:
        sets = [("(All)", top["Syntax"])]
    for set_name, body in sets:
        code = fences(body)[0][1]
        params = re.findall(r"(?:^|[\s\[])-(\w+)", code)
        syntax_sets.append((re.sub(r"\s*\(Default\)$", "", set_name), params))
    page["syntax"] = syntax_sets

    params = []
    for heading, body in sections(top["Parameters"], 3):
        if heading == "CommonParameters":
            continue
        meta = parse_meta(next(code for info, code in fences(body) if info == "yaml"))
        params.append({"name": heading.lstrip("-"), "description": strip_fences(body), "meta": meta})
    page["parameters"] = params

    page["inputs"] = sections(top.get("Inputs", ""), 3)
    page["outputs"] = sections(top.get("Outputs", ""), 3)
    page["notes"] = top.get("Notes", "")

    examples = []
    for heading, body in sections(top["Examples"], 3):
        blocks = fences(body)
        code = next(c for info, c in blocks if info.startswith("powershell"))
        # Remarks are the prose after the (single) code block.
        after = re.split(r"^```[ \t]*$", body, flags=re.M)
        remarks = after[-1] if len(after) > 1 else ""
        examples.append({"title": heading, "code": code.rstrip("\n"), "remarks": remarks})
    page["examples"] = examples

    links = re.findall(r"\[([^\]]+)\]\(([^)]+)\)", top.get("Related links", ""))
    page["links"] = links
    return page


def bool_text(value):
    return "true" if value.lower().startswith("true") else "false"


def parameter_xml(p, set_name, indent, in_syntax):
    m = p["meta"]
    pad = " " * indent
    type_name = m.get("Type", "Object")
    required = bool_text(m.get("Required", "False"))
    position = m.get("Position", "Named")
    position = position.lower() if position == "Named" else position
    pipeline = m.get("Accept pipeline input", "False")
    globbing = bool_text(m.get("Accept wildcard characters", "False"))
    aliases = m.get("Aliases", "") or "none"
    variable_length = "true" if type_name.endswith("[]") else "false"
    x = (f'{pad}<command:parameter required="{required}" variableLength="{variable_length}" globbing="{globbing}" '
         f'pipelineInput="{escape(pipeline)}" position="{position}" aliases="{escape(aliases)}">\n')
    x += f"{pad}  <maml:name>{p['name']}</maml:name>\n"
    x += f"{pad}  <maml:description>\n{paras_xml(p['description'], indent + 4)}{pad}  </maml:description>\n"
    accepted = [v.strip() for v in m.get("Accepted values", "").split(",") if v.strip()]
    if in_syntax and accepted:
        x += f"{pad}  <command:parameterValueGroup>\n"
        for v in accepted:
            x += f'{pad}    <command:parameterValue required="false" command:variableLength="false">{escape(v)}</command:parameterValue>\n'
        x += f"{pad}  </command:parameterValueGroup>\n"
    if not (in_syntax and type_name == "SwitchParameter"):
        x += f'{pad}  <command:parameterValue required="{required if type_name != "SwitchParameter" else "false"}" variableLength="{variable_length}">{escape(type_name)}</command:parameterValue>\n'
    x += f"{pad}  <dev:type>\n{pad}    <maml:name>{escape(type_name)}</maml:name>\n{pad}    <maml:uri />\n{pad}  </dev:type>\n"
    x += f"{pad}  <dev:defaultValue>{escape(m.get('Default value', 'None'))}</dev:defaultValue>\n"
    x += f"{pad}</command:parameter>\n"
    return x


def in_set(p, set_name):
    sets = [s.strip() for s in p["meta"].get("Parameter Sets", "(All)").split(",")]
    return "(All)" in sets or set_name in sets or set_name == "(All)"


def command_xml(page):
    name = page["name"]
    verb, noun = name.split("-", 1)
    by_name = {p["name"]: p for p in page["parameters"]}
    x = f"  <command:command {NS}>\n"
    x += "    <command:details>\n"
    x += f"      <command:name>{name}</command:name>\n"
    x += f"      <command:verb>{verb}</command:verb>\n"
    x += f"      <command:noun>{noun}</command:noun>\n"
    x += f"      <maml:description>\n{paras_xml(page['synopsis'], 8)}      </maml:description>\n"
    x += "    </command:details>\n"
    x += f"    <maml:description>\n{paras_xml(page['description'], 6)}    </maml:description>\n"
    x += "    <command:syntax>\n"
    for set_name, names in page["syntax"]:
        x += "      <command:syntaxItem>\n"
        x += f"        <maml:name>{name}</maml:name>\n"
        for n in names:
            if n in ("WhatIf", "Confirm") and n not in by_name:
                continue
            if n not in by_name:
                raise SystemExit(f"{name}: syntax names -{n}, which has no parameter section")
            x += parameter_xml(by_name[n], set_name, 8, in_syntax=True)
        x += "      </command:syntaxItem>\n"
    x += "    </command:syntax>\n"
    x += "    <command:parameters>\n"
    for p in page["parameters"]:
        x += parameter_xml(p, "(All)", 6, in_syntax=False)
    x += "    </command:parameters>\n"
    x += "    <command:inputTypes>\n"
    for type_name, body in page["inputs"]:
        x += "      <command:inputType>\n"
        x += f"        <dev:type>\n          <maml:name>{escape(type_name)}</maml:name>\n        </dev:type>\n"
        x += f"        <maml:description>\n{paras_xml(body, 10)}        </maml:description>\n"
        x += "      </command:inputType>\n"
    x += "    </command:inputTypes>\n"
    x += "    <command:returnValues>\n"
    for type_name, body in page["outputs"]:
        x += "      <command:returnValue>\n"
        x += f"        <dev:type>\n          <maml:name>{escape(type_name)}</maml:name>\n        </dev:type>\n"
        x += f"        <maml:description>\n{paras_xml(body, 10)}        </maml:description>\n"
        x += "      </command:returnValue>\n"
    x += "    </command:returnValues>\n"
    x += "    <maml:alertSet>\n      <maml:alert>\n"
    x += paras_xml(page["notes"], 8)
    x += "      </maml:alert>\n    </maml:alertSet>\n"
    x += "    <command:examples>\n"
    for e in page["examples"]:
        x += "      <command:example>\n"
        x += f"        <maml:title>-------------------------- {escape(e['title'])} --------------------------</maml:title>\n"
        x += f"        <dev:code>{escape(e['code'])}</dev:code>\n"
        x += f"        <dev:remarks>\n{paras_xml(e['remarks'], 10)}        </dev:remarks>\n"
        x += "      </command:example>\n"
    x += "    </command:examples>\n"
    x += "    <command:relatedLinks>\n"
    for text, uri in page["links"]:
        x += "      <maml:navigationLink>\n"
        x += f"        <maml:linkText>{escape(text)}</maml:linkText>\n"
        x += f"        <maml:uri>{escape(uri) if uri.startswith('http') else ''}</maml:uri>\n"
        x += "      </maml:navigationLink>\n"
    x += "    </command:relatedLinks>\n"
    x += "  </command:command>\n"
    return x


def main():
    pages = [parse_page(p) for p in sorted(DOCS.glob("*-*.md"))]
    xml = '<?xml version="1.0" encoding="utf-8"?>\n'
    xml += "<!-- Generated from docs/cmdlets/*.md by docs/tools/md2maml.py. Edit the markdown, then run the script. -->\n"
    xml += '<helpItems schema="maml" xmlns="http://msh">\n'
    for page in pages:
        xml += command_xml(page)
    xml += "</helpItems>\n"
    if "--check" in sys.argv:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != xml:
            print(f"{OUT.relative_to(ROOT)} is out of date: run python3 docs/tools/md2maml.py", file=sys.stderr)
            return 1
        print(f"{OUT.relative_to(ROOT)} is up to date ({len(pages)} cmdlets)")
        return 0
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(xml, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)} ({len(pages)} cmdlets)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
