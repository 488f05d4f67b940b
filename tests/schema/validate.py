#!/usr/bin/python3
"""Checks scene files against docs/scene.schema.json, reading YAML the way Vitrine does.

    validate.py SCHEMA [--docs MARKDOWN] [--valid FILE...] [--invalid FILE...]

--docs      every fenced ```yaml block of MARKDOWN whose first line is `format: vitrine/1` is
            a complete example and must be valid
--valid     files that must load and pass the schema
--invalid   files that must fail (in the loader or in the schema); a file with a line
            "# expect: TEXT" must fail with a problem whose message contains TEXT, so that a
            fixture cannot pass by failing for some other reason (a typo, say)

Prints one line per case, "ok - ..." or "not ok - ...", then "examples: N" (how many docs
examples were found). Exit status 0 when every case went as expected, 1 otherwise.

The loader is PyYAML's SafeLoader narrowed to Vitrine's restricted profile, so that the schema is
tested against the values Vitrine would see: only `true`/`false` are booleans (YAML 1.1 would
turn yes/no/on/off into booleans), numbers are plain decimal (`.inf` and `.nan` stay strings and
so fail a number check), and anchors, aliases, explicit tags, merge keys, duplicate keys,
non-string keys and documents over the size, depth and node limits are errors.
"""

import json
import re
import sys

import jsonschema
import yaml
from yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent

MAX_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 32
MAX_NODES = 200000


class ProfileError(Exception):
    pass


def _where(mark):
    return f"{mark.line + 1}:{mark.column + 1}"


class StrictLoader(yaml.SafeLoader):
    """SafeLoader restricted to the vitrine/1 YAML profile."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0
        self._nodes = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            raise ProfileError(f"{_where(event.start_mark)}: aliases are not allowed")
        if getattr(event, "anchor", None) is not None:
            raise ProfileError(f"{_where(event.start_mark)}: anchors are not allowed")
        explicit_tag = False
        if isinstance(event, ScalarEvent):
            explicit_tag = event.tag is not None and event.implicit == (False, False)
        elif isinstance(event, CollectionStartEvent):
            explicit_tag = event.tag is not None and not event.implicit
        if explicit_tag:
            raise ProfileError(f"{_where(event.start_mark)}: tags are not allowed")
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise ProfileError(f"{_where(event.start_mark)}: more than {MAX_NODES} nodes")
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise ProfileError(f"{_where(event.start_mark)}: nested deeper than {MAX_DEPTH}")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node, deep=False):
        seen = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise ProfileError(f"{_where(key_node.start_mark)}: merge keys are not allowed")
            if key_node.tag != "tag:yaml.org,2002:str":
                raise ProfileError(f"{_where(key_node.start_mark)}: keys must be text")
            key = key_node.value
            if key in seen:
                raise ProfileError(f"{_where(key_node.start_mark)}: duplicate key '{key}' "
                                   f"(first at {seen[key]})")
            seen[key] = _where(key_node.start_mark)
        return super().construct_mapping(node, deep=deep)


# Implicit resolvers: keep null (and merge, to report it); no timestamps; narrow bool, int, float.
StrictLoader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers
         if tag in ("tag:yaml.org,2002:null", "tag:yaml.org,2002:merge")]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
StrictLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"),
                                   list("tf"))
StrictLoader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?[0-9]+$"),
                                   list("-+0123456789"))
StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"),
    list("-+0123456789."))


def _bool(loader, node):
    return node.value == "true"


def _int(loader, node):
    return int(node.value)


def _float(loader, node):
    return float(node.value)


StrictLoader.add_constructor("tag:yaml.org,2002:bool", _bool)
StrictLoader.add_constructor("tag:yaml.org,2002:int", _int)
StrictLoader.add_constructor("tag:yaml.org,2002:float", _float)


def load_scene(text):
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise ProfileError(f"larger than {MAX_BYTES} bytes")
    return yaml.load(text, Loader=StrictLoader)


def check(validator, name, text, expect_valid):
    """Returns True when the outcome matches the expectation; prints one line either way."""
    try:
        data = load_scene(text)
        errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
        problems = [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}"
                    for e in errors]
    except (ProfileError, yaml.YAMLError) as e:
        problems = [f"YAML: {str(e).splitlines()[0] if str(e) else type(e).__name__}"]
    valid = not problems
    good = valid == expect_valid
    expected = re.search(r"^# expect: (.+)$", text, re.MULTILINE)
    if good and not valid and expected and not any(expected[1] in p for p in problems):
        print(f"not ok - {name} is rejected, but not for the reason it was written for "
              f"('{expected[1]}'):")
        for p in problems:
            print(f"    {p}")
        return False
    if good and valid:
        print(f"ok - {name} is valid")
    elif good:
        print(f"ok - {name} is rejected: {problems[0][:150]}")
    elif expect_valid:
        print(f"not ok - {name} should be valid:")
        for p in problems:
            print(f"    {p}")
    else:
        print(f"not ok - {name} should be rejected but passed")
    return good


def docs_examples(path):
    """Yields (name, text) for each complete example: a ```yaml block opening with the format."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        if lines[i].strip() == "```yaml":
            start = i + 1
            j = start
            while j < len(lines) and lines[j].strip() != "```":
                j += 1
            block = "\n".join(lines[start:j]) + "\n"
            if block.startswith("format: vitrine/1"):
                yield f"{path}:{start + 1} (example)", block
            i = j
        i += 1


def main(argv):
    if not argv:
        print(__doc__)
        return 2
    with open(argv[0], encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema)
    mode, ok, examples = None, True, 0
    for arg in argv[1:]:
        if arg in ("--docs", "--valid", "--invalid"):
            mode = arg
            continue
        if mode == "--docs":
            for name, text in docs_examples(arg):
                examples += 1
                ok &= check(validator, name, text, True)
        elif mode in ("--valid", "--invalid"):
            with open(arg, encoding="utf-8") as f:
                ok &= check(validator, arg, f.read(), mode == "--valid")
        else:
            print(f"validate.py: unexpected argument '{arg}'", file=sys.stderr)
            return 2
    print(f"examples: {examples}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
