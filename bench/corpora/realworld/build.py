"""Rebuild the real-world corpus from git mirrors of SchemaStore/schemastore and OAI/OpenAPI-Specification.

Run (needs the two mirrors; the committed corpus does not):

    .venv/bin/python bench/corpora/realworld/build.py \
        --schemastore /work/.mirror/SchemaStore+schemastore/repo \
        --openapi /work/.mirror/OAI+OpenAPI-Specification/repo

For each selected schema file it walks `git log -- PATH` (newest first), keeps the revisions that parse
and differ from the previous kept one (as JSON values), and takes up to `--per-schema` consecutive
pairs (older, newer). `$ref`s to other documents — absolute, or relative to the document's `$id` (else to
the URL it is served at) — are followed to the referenced file *at the same commit* (SchemaStore:
`https://json.schemastore.org/NAME` and `https://www.schemastore.org/NAME` are `src/schemas/json/NAME`;
OpenAPI: files of `schemas/` and `src/schemas/` by their `$id`); the JSON
Schema metaschemas are left to the evaluation (python's jsonschema-specifications holds them). A
revision whose `$ref`s reach anything else is left out and counted. YAML files (OpenAPI 3.x) are stored
as their JSON equivalent.

Output, next to this script: `blobs.json.xz` ({content id: file text}, xz-compressed: consecutive
revisions compress into each other) and `pairs.json` (the manifest: every pair with its source, path,
commits and dates, the content id of each side and of each catalogue file it needs, by the URI the
`$ref` uses).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import lzma
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin, urlparse

import yaml

HERE = Path(__file__).resolve().parent

SCHEMASTORE = [
    "tsconfig", "package", "github-workflow", "github-action", "eslintrc", "pre-commit-config",
    "prettierrc", "jsconfig", "tslint", "travis", "pyproject", "dependabot-2.0", "pnpm-workspace",
    "cargo", "babelrc", "stylelintrc", "host", "appsettings", "launchsettings", "web-manifest",
    "chrome-manifest", "github-issue-forms", "kustomization", "ruff", "clangd", "drone", "appveyor",
    "nest-cli", "codecov", "commitlintrc", "huskyrc", "renovate", "circleciconfig", "golangci-lint",
]  # fmt: skip
# path -> the dialect of its revisions without `$schema` (what the specification says it is written in)
OPENAPI = {
    "schemas/v2.0/schema.json": "draft-04",
    "schemas/v3.0/schema.yaml": "draft-04",
    "schemas/v3.1/schema.json": "2020-12",
    "schemas/v3.1/schema-base.json": "2020-12",
}
METASCHEMA_HOSTS = ("json-schema.org",)
SCHEMASTORE_HOSTS = ("json.schemastore.org", "www.schemastore.org", "schemastore.org")


def git(repo: Path, *args: str) -> bytes | None:
    proc = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=False)
    return proc.stdout if proc.returncode == 0 else None


def parse(text: str, path: str) -> Any:
    if path.endswith((".yaml", ".yml")):
        return yaml.safe_load(text)
    return json.loads(text)


def base_of(doc: Any, url: str) -> str:
    """The URI a document is known by: its own absolute `$id` (draft-04: `id`), else where it is served."""
    if isinstance(doc, dict):
        for key in ("$id", "id"):
            value = doc.get(key)
            if isinstance(value, str) and "://" in value:
                return urldefrag(value)[0]
    return url


def remote_refs(doc: Any, base: str) -> set[str]:
    """Absolute URIs (without fragment) of the other documents `doc`'s `$ref`s name."""
    out: set[str] = set()
    stack = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and not ref.startswith("#"):
                uri = urldefrag(urljoin(base, ref))[0]
                if uri != base:
                    out.add(uri)
            stack.extend(v for k, v in node.items() if k not in ("enum", "const", "default", "examples"))
        elif isinstance(node, list):
            stack.extend(node)
    return out


class Store:
    def __init__(self) -> None:
        self.blobs: dict[str, str] = {}

    def put(self, text: str) -> str:
        key = hashlib.sha256(text.encode()).hexdigest()[:20]
        self.blobs[key] = text
        return key


class Source:
    name: str
    repo: Path

    def files(self) -> list[str]:
        raise NotImplementedError

    def dialect(self, path: str) -> str:
        raise NotImplementedError

    def url(self, path: str) -> str:
        raise NotImplementedError

    def locate(self, uri: str, commit: str) -> str | None:
        """The path, at `commit`, of the file a remote `$ref` URI names; None when not in this repo."""
        raise NotImplementedError


class SchemaStore(Source):
    name = "SchemaStore/schemastore"

    def __init__(self, repo: Path) -> None:
        self.repo = repo

    def files(self) -> list[str]:
        return [f"src/schemas/json/{n}.json" for n in SCHEMASTORE]

    def dialect(self, path: str) -> str:
        return "draft-07"  # SchemaStore's default for a schema without $schema

    def url(self, path: str) -> str:
        return "https://json.schemastore.org/" + path.rsplit("/", 1)[-1]

    def locate(self, uri: str, commit: str) -> str | None:
        u = urlparse(uri)
        if u.hostname not in SCHEMASTORE_HOSTS:
            return None
        name = u.path.strip("/").split("/")[-1]
        for candidate in (name, f"{name}.json"):
            path = f"src/schemas/json/{candidate}"
            if git(self.repo, "cat-file", "-e", f"{commit}:{path}") is not None:
                return path
        return None


class OpenAPISpec(Source):
    name = "OAI/OpenAPI-Specification"

    def __init__(self, repo: Path) -> None:
        self.repo = repo
        self._ids: dict[str, dict[str, str]] = {}

    def files(self) -> list[str]:
        return list(OPENAPI)

    def dialect(self, path: str) -> str:
        return OPENAPI.get(path, "2020-12")

    def url(self, path: str) -> str:
        return "https://github.com/OAI/OpenAPI-Specification/blob/main/" + path

    def locate(self, uri: str, commit: str) -> str | None:
        if commit not in self._ids:
            table: dict[str, str] = {}
            listing = git(self.repo, "ls-tree", "-r", "--name-only", commit, "schemas", "src/schemas") or b""
            for path in listing.decode().splitlines():
                if not path.endswith((".json", ".yaml")) or "/tests/" in path:
                    continue
                raw = git(self.repo, "show", f"{commit}:{path}")
                try:
                    doc = parse(raw.decode(), path) if raw else None
                except Exception:
                    continue
                ident = doc.get("$id", doc.get("id")) if isinstance(doc, dict) else None
                if isinstance(ident, str):
                    table.setdefault(urldefrag(ident)[0], path)
            self._ids[commit] = table
        return self._ids[commit].get(uri)


def revision(src: Source, store: Store, path: str, commit: str) -> tuple[dict[str, Any], Any] | str:
    """The stored form of `path` at `commit` with its catalogue, or why it is left out."""
    raw = git(src.repo, "show", f"{commit}:{path}")
    if raw is None:
        return "file absent at this commit"
    try:
        doc = parse(raw.decode("utf-8"), path)
    except Exception:
        return "does not parse"
    if not isinstance(doc, dict | bool):
        return "not a schema"
    text = raw.decode("utf-8") if path.endswith(".json") else json.dumps(doc, indent=2, default=str)
    base = base_of(doc, src.url(path))
    catalog: dict[str, str] = {}
    pending = sorted(remote_refs(doc, base))
    seen: set[str] = {base}
    while pending:
        uri = pending.pop()
        if uri in seen:
            continue
        seen.add(uri)
        if urlparse(uri).hostname in METASCHEMA_HOSTS:
            continue
        dep_path = src.locate(uri, commit)
        if dep_path is None:
            return f"$ref to {uri} outside the repository"
        dep_raw = git(src.repo, "show", f"{commit}:{dep_path}")
        try:
            dep = parse(dep_raw.decode("utf-8"), dep_path) if dep_raw else None
        except Exception:
            return f"$ref to {uri}: {dep_path} does not parse"
        dep_text = dep_raw.decode() if dep_path.endswith(".json") and dep_raw else json.dumps(dep, indent=2)
        catalog[uri] = store.put(dep_text)
        pending.extend(sorted(remote_refs(dep, base_of(dep, uri)) - seen))
    date = (git(src.repo, "show", "-s", "--format=%cs", commit) or b"").decode().strip()
    entry = {"commit": commit, "date": date, "blob": store.put(text), "base": base}
    return entry | {"catalog": dict(sorted(catalog.items()))}, doc


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--schemastore", type=Path, required=True)
    ap.add_argument("--openapi", type=Path, required=True)
    ap.add_argument("--per-schema", type=int, default=16)
    args = ap.parse_args()
    store = Store()
    pairs: list[dict[str, Any]] = []
    left_out: dict[str, int] = {}
    for src in (SchemaStore(args.schemastore), OpenAPISpec(args.openapi)):
        for path in src.files():
            log = git(src.repo, "log", "--format=%H", "--", path) or b""
            kept: list[tuple[dict[str, Any], Any]] = []
            for commit in log.decode().split():
                got = revision(src, store, path, commit)
                if isinstance(got, str):
                    reason = "a $ref reaches outside the two repositories" if got.startswith("$ref to") else got
                    left_out[reason] = left_out.get(reason, 0) + 1
                    print(f"  left out {path}@{commit[:10]}: {got}", file=sys.stderr)
                    if kept and got.startswith("$ref to"):
                        break  # a gap: the chain of consecutive revisions ends here
                    continue
                if kept and kept[-1][1] == got[1]:
                    continue  # the same schema as the newer revision (formatting only)
                kept.append(got)
                if len(kept) > args.per_schema:
                    break
            short = path.rsplit("/", 1)[-1].rsplit(".", 1)[0] if src.name.startswith("Schema") else path
            for i in range(len(kept) - 1):
                new, old = kept[i][0], kept[i + 1][0]
                pairs.append(
                    {
                        "id": f"{src.name.split('/')[0].lower()}:{short}#{i + 1}",
                        "source": src.name,
                        "path": path,
                        "dialect": src.dialect(path),
                        "old": old,
                        "new": new,
                    }
                )
            print(f"{src.name} {path}: {max(len(kept) - 1, 0)} pairs", file=sys.stderr)
    used = {p[s]["blob"] for p in pairs for s in ("old", "new")} | {
        b for p in pairs for s in ("old", "new") for b in p[s]["catalog"].values()
    }
    blobs = {k: store.blobs[k] for k in sorted(used)}
    (HERE / "blobs.json.xz").write_bytes(
        lzma.compress(json.dumps(blobs, sort_keys=True).encode(), preset=9 | lzma.PRESET_EXTREME)
    )
    manifest = {"pairs": pairs, "left_out_revisions": dict(sorted(left_out.items()))}
    (HERE / "pairs.json").write_text(json.dumps(manifest, indent=1) + "\n")
    print(f"{len(pairs)} pairs, {len(blobs)} files; left out: {left_out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
