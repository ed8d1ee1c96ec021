"""The tokens Python's tokenize module reads from each source, for the tokens refheap reads too.

Reads a JSON list of {"name", "source"} on stdin and prints, per name, a list of
[type, string, start, end] with tokenize's 1-based lines and 0-based columns. COMMENT and NL
are left out: CPython's C tokenizer never hands them to the parser. The sources are ASCII, so
tokenize's character columns are the parser's byte columns.
"""
import io
import json
import sys
import tokenize

results = {}
for case in json.load(sys.stdin):
    tokens = []
    for token in tokenize.generate_tokens(io.StringIO(case["source"]).readline):
        if token.type in (tokenize.COMMENT, tokenize.NL):
            continue
        kind = "OP" if token.type == tokenize.OP else tokenize.tok_name[token.type]
        tokens.append([kind, token.string, list(token.start), list(token.end)])
    results[case["name"]] = tokens
json.dump(results, sys.stdout)
