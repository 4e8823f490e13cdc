#!/usr/bin/env python3
"""A validator for the subset of JSON Schema (2020-12) that litescope's schema files use.

Keywords: type (a name or a list; "integer" excludes booleans, "number" accepts integers),
const, enum, properties, required, additionalProperties (boolean or schema), items (schema),
minimum, minLength, pattern (Python re.search), $ref to "#/$defs/<name>" (or "#/definitions/"),
and the annotations $schema, $id, title, description. Any other keyword is an error, so a schema
can never lean on a keyword this validator would silently skip.

Usage as a program: json_schema_subset.py SCHEMA.json DOCUMENT.json
prints every violation as "<json path>: <message>" and exits 1 when there is any.
"""
import json
import re
import sys

ANNOTATIONS = {"$schema", "$id", "title", "description"}
KEYWORDS = ANNOTATIONS | {"type", "const", "enum", "properties", "required",
                          "additionalProperties", "items", "minimum", "minLength", "pattern",
                          "$ref", "$defs", "definitions"}


def _is_type(value, name):
    if name == "null":
        return value is None
    if name == "boolean":
        return isinstance(value, bool)
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if name == "string":
        return isinstance(value, str)
    if name == "array":
        return isinstance(value, list)
    if name == "object":
        return isinstance(value, dict)
    raise ValueError("unknown type name %r in schema" % name)


class Validator:
    def __init__(self, schema):
        self.root = schema
        self.errors = []

    def _resolve(self, ref):
        if not ref.startswith("#/"):
            raise ValueError("only local $ref is supported: %r" % ref)
        node = self.root
        for part in ref[2:].split("/"):
            node = node[part]
        return node

    def validate(self, value, schema=None, path="$"):
        schema = self.root if schema is None else schema
        unknown = set(schema) - KEYWORDS
        if unknown:
            raise ValueError("%s: unsupported schema keywords %s" % (path, sorted(unknown)))
        if "$ref" in schema:
            self.validate(value, self._resolve(schema["$ref"]), path)
        if "type" in schema:
            names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            if not any(_is_type(value, n) for n in names):
                self.errors.append("%s: %r is not of type %s" % (path, value, "/".join(names)))
                return
        if "const" in schema and value != schema["const"]:
            self.errors.append("%s: %r is not %r" % (path, value, schema["const"]))
        if "enum" in schema and value not in schema["enum"]:
            self.errors.append("%s: %r is not one of %r" % (path, value, schema["enum"]))
        is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
        if "minimum" in schema and is_number and value < schema["minimum"]:
            self.errors.append("%s: %r is below the minimum %r" % (path, value, schema["minimum"]))
        if isinstance(value, str):
            if "minLength" in schema and len(value) < schema["minLength"]:
                self.errors.append("%s: %r is shorter than %d" % (path, value, schema["minLength"]))
            if "pattern" in schema and not re.search(schema["pattern"], value):
                self.errors.append("%s: %r does not match %r" % (path, value, schema["pattern"]))
        if isinstance(value, list) and "items" in schema:
            for i, item in enumerate(value):
                self.validate(item, schema["items"], "%s[%d]" % (path, i))
        if isinstance(value, dict):
            for key in schema.get("required", []):
                if key not in value:
                    self.errors.append("%s: missing required property %r" % (path, key))
            props = schema.get("properties", {})
            extra = schema.get("additionalProperties", True)
            for key, item in value.items():
                sub = "%s.%s" % (path, key)
                if key in props:
                    self.validate(item, props[key], sub)
                elif extra is False:
                    self.errors.append("%s: property not allowed" % sub)
                elif isinstance(extra, dict):
                    self.validate(item, extra, sub)
        return self.errors


def validate(document, schema):
    """Returns the list of violations (empty when the document is valid)."""
    return Validator(schema).validate(document)


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[-3], file=sys.stderr)
        return 2
    with open(argv[1]) as f:
        schema = json.load(f)
    with open(argv[2]) as f:
        document = json.load(f)
    errors = validate(document, schema)
    for e in errors:
        print(e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
