#!/usr/bin/env python3
"""Check a translated program or instrument file against its English original.

usage: python3 programs/builtin/checktr.py LANG [NAME ...]
e.g.   python3 programs/builtin/checktr.py fi depression gad

For each NAME it reads programs/builtin/NAME.yaml (English) and
programs/builtin/LANG/NAME.yaml, and reports every difference that is not a
human-readable text: a different key set, list length, id, number, option
value, schedule, band limit or rule. It also lists every `id:` value in
document order and checks the two lists are equal. Exit status 1 on any
difference.
"""
import os
import re
import sys

import yaml

# Keys whose values are text a person reads; they may (and should) differ.
TEXT_KEYS = {
    "title", "short_title", "patient_title", "description", "licence",
    "body", "prompt", "label", "help", "text", "name", "when", "hours",
    "note", "intro", "outro", "what", "advice", "service",
}
# Keys whose value is the document's language.
LANG_KEYS = {"language"}


def walk(en, tr, path, lang, out):
    if isinstance(en, dict):
        if not isinstance(tr, dict):
            out.append(f"{path}: mapping in English, {type(tr).__name__} in {lang}")
            return
        if path == "" and tr.get("translation_of") != "en":
            out.append(f"translation_of: is {tr.get('translation_of')!r}, want 'en'")
        trkeys = set(tr) - ({"translation_of"} if path == "" else set())
        if set(en) != trkeys:
            out.append(f"{path}: keys differ: only in en {sorted(set(en) - set(tr))}, only in {lang} {sorted(trkeys - set(en))}")
        for k in en:
            if k not in tr:
                continue
            p = f"{path}.{k}" if path else k
            if k in LANG_KEYS and path == "":
                if tr[k] != lang:
                    out.append(f"{p}: is {tr[k]!r}, want {lang!r}")
                continue
            if k in TEXT_KEYS and isinstance(en[k], str):
                if not isinstance(tr[k], str) or not tr[k].strip():
                    out.append(f"{p}: empty or not a string")
                continue
            walk(en[k], tr[k], p, lang, out)
    elif isinstance(en, list):
        if not isinstance(tr, list) or len(en) != len(tr):
            out.append(f"{path}: list of {len(en)} in English, {len(tr) if isinstance(tr, list) else tr!r} in {lang}")
            return
        for i, (a, b) in enumerate(zip(en, tr)):
            walk(a, b, f"{path}[{i}]", lang, out)
    else:
        if en != tr:
            out.append(f"{path}: {en!r} in English, {tr!r} in {lang}")


def ids(text):
    return re.findall(r"\bid:\s*\"?([A-Za-z0-9_.-]+)\"?", text)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    lang = sys.argv[1]
    here = os.path.dirname(os.path.abspath(__file__))
    names = sys.argv[2:] or sorted(
        f[:-5] for f in os.listdir(os.path.join(here, lang)) if f.endswith(".yaml"))
    bad = False
    for name in names:
        enp = os.path.join(here, name + ".yaml")
        trp = os.path.join(here, lang, name + ".yaml")
        ent, trt = open(enp).read(), open(trp).read()
        en = list(yaml.safe_load_all(ent))
        tr = list(yaml.safe_load_all(trt))
        out = []
        if len(en) != len(tr):
            out.append(f"{len(en)} documents in English, {len(tr)} in {lang}")
        for i, (a, b) in enumerate(zip(en, tr)):
            walk(a, b, f"[{i}]" if len(en) > 1 else "", lang, out)
        ei, ti = ids(ent), ids(trt)
        if ei != ti:
            out.append(f"id lists differ: {len(ei)} ids in English, {len(ti)} in {lang}")
        status = "ok" if not out else "DIFFERS"
        print(f"{trp}: {status} ({len(ti)} ids)")
        for o in out:
            print("  " + o)
        bad = bad or bool(out)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
