#!/usr/bin/env python3
"""Writes the input shapes of benches/scaling.sh: each shape at each size.

usage: [SHAPES='a b'] scaling.py WORK_DIR SIZE_MB...   (writes WORK_DIR/SHAPE-SIZE.EXT)

Each shape is a generator of a text about `n` bytes long (never shorter,
at most one unit longer), built from one repeated unit, so that doubling
the size doubles the work a linear-time checker has to do.
"""
import os
import pathlib
import sys
import tomllib


def repeat(unit, n):
    return unit * (n // len(unit) + 1)


def wrapped(unit, n, width=78):
    """`unit` repeated to n bytes in one paragraph, broken into lines."""
    text = repeat(unit, n)
    out, line = [], 0
    for i in range(0, len(text), width):
        out.append(text[i : i + width])
    return "\n".join(out) + "\n"


def paragraphs(unit, n):
    return repeat(unit + "\n\n", n)


WORDS = "the quiet river runs past old mills and green fields near town ".split()


def prose_words(n, sep=" "):
    unit = sep.join(WORDS) + sep
    return repeat(unit, n)


def nested(prefix, line, depths, n):
    """Lines of `line` under `prefix` repeated to each depth in turn,
    again and again, to n bytes."""
    out, size, i = [], 0, 0
    while size < n:
        text = prefix * depths[i % len(depths)] + line
        out.append(text)
        size += len(text)
        i += 1
    return "".join(out)


def nested_lists(n):
    # items nested 0..99 deep
    return nested("  ", "- item at this depth\n", range(100), n)


def nested_quotes(n):
    # quotes nested 1..200 deep
    return nested("> ", "a line of quoted text\n", range(1, 201), n)


def wide_table(n):
    cols = max(2, n // 2 // 8)
    head = "|" + "|".join(f"h{i}" for i in range(cols)) + "|\n"
    rule = "|" + "|".join("---" for _ in range(cols)) + "|\n"
    row = "|" + "|".join("cell" for _ in range(cols)) + "|\n"
    return head + rule + row * max(1, (n - len(head) - len(rule)) // len(row) + 1)


def long_table(n):
    head = "| a | b | c |\n|---|---|---|\n"
    return head + repeat("| one cell | two cells | the third cell |\n", n)


def link_refs(n):
    k = n // 60 + 1
    refs = " ".join(f"[text {i}][r{i}]" for i in range(k))
    defs = "".join(f"[r{i}]: https://example.com/{i}\n" for i in range(k))
    return refs + "\n\n" + defs


def footnotes(n):
    k = n // 60 + 1
    refs = " ".join(f"word[^{i}]" for i in range(k))
    defs = "".join(f"[^{i}]: A note about {i}.\n\n" for i in range(k))
    return refs + "\n\n" + defs


def new_words(n):
    # paragraphs of 60 words none of which came before: a vocabulary that
    # grows with the file, against which each paragraph is measured
    out, size, k = [], 0, 0
    while size < n:
        sentences = []
        for _ in range(6):
            sentences.append(" ".join(f"w{k + i}x" for i in range(10)).capitalize() + ".")
            k += 10
        out.append(" ".join(sentences) + "\n\n")
        size += len(out[-1])
    return "".join(out)


def html_nested(n):
    k = n // 12 + 1
    return "<html><body>" + "<div>" * k + "text" + "</div>" * k + "</body></html>\n"


def html_doc(body):
    return "<html><body>\n" + body + "</body></html>\n"


def dense_tells():
    examples = []
    for path in sorted(pathlib.Path("patterns").glob("*.toml")):
        pack = tomllib.loads(path.read_text())
        for rule in pack.get("rules", pack.get("rule", [])):
            ex = rule.get("examples", {})
            examples.extend(ex.get("flag", []))
    return examples


def shapes():
    tells = dense_tells()
    tell_text = " ".join(tells) + "\n\n"
    s = {
        # prose shapes
        "one-sentence": ("md txt", lambda n: wrapped(prose_words(100, " "), n)),
        "no-spaces": ("md txt", lambda n: repeat(".".join(WORDS) + ".", n) + "\n"),
        "one-word-line": ("md txt", lambda n: repeat("word ", n) + "\n"),
        # inline markup, unclosed and interleaved, in one paragraph
        "stars": ("md", lambda n: wrapped("a* b *c ", n)),
        "underscores": ("md", lambda n: wrapped("a_ b _c ", n)),
        "double-stars": ("md", lambda n: wrapped("a** b **c ", n)),
        "tildes": ("md", lambda n: wrapped("a~~ b ~~c ", n)),
        "backticks": ("md", lambda n: wrapped("a` b `` c ``` d ", n)),
        "brackets": ("md", lambda n: wrapped("[a ", n)),
        "link-openers": ("md", lambda n: wrapped("[a](b ", n)),
        "angles": ("md", lambda n: wrapped("<a b ", n)),
        "entities": ("md", lambda n: wrapped("&amp; &#8212; &bogus; & ", n)),
        "escapes": ("md", lambda n: wrapped("\\* \\_ \\[ \\ a ", n)),
        "interleaved": ("md", lambda n: wrapped("*a _b **c ~~d `e [f <g ", n)),
        # blocks
        "wide-list": ("md", lambda n: repeat("- an item of the list\n", n)),
        "deep-lists": ("md", nested_lists),
        "deep-quotes": ("md", nested_quotes),
        "wide-table": ("md", wide_table),
        "long-table": ("md", long_table),
        "link-refs": ("md", link_refs),
        "footnotes": ("md", footnotes),
        "new-words": ("md", new_words),
        # HTML
        "html-nested": ("html", html_nested),
        "html-unclosed": ("html", lambda n: html_doc(repeat("<div><p>text <b>more ", n))),
        "html-attribute": ("html", lambda n: html_doc('<p title="' + "x" * n + '">text</p>\n')),
        "html-comments": ("html md", lambda n: repeat("<!-- a comment -->\ntext\n", n)),
        "html-script": ("html", lambda n: html_doc(repeat("<script>var a = 1;</script><style>p{}</style>text\n", n))),
        "inline-code-tags": ("md", lambda n: wrapped("text <code>x</code> <code>y ", n)),
        # MDX: expressions and JSX tags, closed and unclosed
        "mdx-expressions": ("mdx", lambda n: wrapped("a {x} b {/* c */} <T y={1}>d</T> ", n)),
        "mdx-braces": ("mdx", lambda n: wrapped("a { b ", n)),
        "mdx-tags": ("mdx", lambda n: wrapped('a <Tag b="c ', n)),
        # punctuation and directives
        "directives": ("md", lambda n: repeat("<!-- telltale-disable-next-line -->\nIt's not just a tool — it's a movement.\n\n", n)),
        "directive-regions": ("md", lambda n: repeat("<!-- telltale-disable em-dash -->\ntext — text\n<!-- telltale-enable -->\n", n)),
        # directives that suppress nothing, each reported and fixed
        "directives-unused": ("md", lambda n: repeat("<!-- telltale-disable-next-line chatbot, hedging -->\nThe council met on Tuesday.\n\n", n)),
        "enables-unused": ("md", lambda n: repeat("<!-- telltale-disable ai-vocabulary -->\nThe council met.\n<!-- telltale-enable -->\n", n)),
        "directive-long-name": ("md", lambda n: "<!-- telltale-disable " + "x" * n + " -->\ntext\n"),
        "directive-many-names": ("md", lambda n: "<!-- telltale-disable " + repeat("em-dash-asid ", n) + "-->\ntext\n"),
        "front-matter-rules": ("md", lambda n: repeat("---\ntitle: x\n", n)),
        "em-dash-run": ("md txt", lambda n: wrapped("—", n)),
        "em-dashes": ("md txt", lambda n: wrapped("word — ", n)),
        "straight-quotes": ("md txt", lambda n: wrapped('a "b c ', n)),
        "curly-quotes": ("md txt", lambda n: wrapped("a “b c ‘d ", n)),
        "parentheses": ("md txt", lambda n: wrapped("a (b c ", n)),
        # tells
        "not-just": ("md txt", lambda n: paragraphs("It's not just a tool — it's a movement.", n)),
        "all-tells": ("md txt html", lambda n: repeat(tell_text, n)),
        "one-line-tells": ("md", lambda n: repeat("It's not just a tool — it's a movement. ", n) + "\n"),
        # fixable tells (deletions), for `check --fix` and `--diff`
        "fixes-one-line": ("md txt", lambda n: repeat("a fact [oaicite:3] ", n) + "\n"),
        "fixes-every-line": ("md txt", lambda n: wrapped("a fact [oaicite:3] ", n)),
        "fixes-openers": ("md", lambda n: paragraphs("Certainly! Here is the text.", n)),
    }
    return s


def main():
    work = pathlib.Path(sys.argv[1])
    work.mkdir(parents=True, exist_ok=True)
    sizes = [float(x) for x in sys.argv[2:]]
    only = set(os.environ.get("SHAPES", "").split())
    for name, (exts, make) in shapes().items():
        if only and name not in only:
            continue
        for mb in sizes:
            n = int(mb * (1 << 20))
            text = make(n)
            for ext in exts.split():
                body = text
                if ext == "html" and not text.lstrip().startswith("<"):
                    body = html_doc("<p>" + text.replace("\n\n", "</p>\n<p>") + "</p>\n")
                (work / f"{name}-{mb:g}.{ext}").write_text(body)


if __name__ == "__main__":
    main()
