"""Calls every documented operation of Huawei's official Python SDKs against bss-emulator.

Run by scripts/sdk-contract-test, which installs the pinned SDKs (tests/sdk/requirements.txt),
exports the spec as OpenAPI and starts one emulator. Nothing here names an operation or a value:

* the operations are those of the OpenAPI export whose operationId is also a method of the SDK
  client (`ShowSubCustomerBudget` -> `show_sub_customer_budget` / `ShowSubCustomerBudgetRequest`),
  found by introspection; the SDK's other methods are listed as undocumented;
* the arguments are the spec's first documented request example that keeps the documented
  constraints (spec/groups/*.yaml), and otherwise values built from the export's schemas (required
  members only, each meeting its documented constraints);
* every answer is parsed by the SDK into its model, and then checked strictly: each JSON value
  must have the wire type the SDK model declares (the SDK itself converts silently).

A call fails the run when its signature is refused, when the emulator answers 5xx, when the SDK
cannot parse the answer or its wire types differ from the model's, or when the emulator refuses
it and tests/sdk/differences.yaml does not explain that refusal. An entry of that file that
explains nothing is stale, and fails the run too.
"""

import argparse
import importlib
import importlib.metadata
import json
import re
import sys
import urllib.parse
import urllib.request
import warnings
from pathlib import Path

import yaml
from huaweicloudsdkcore.auth.credentials import GlobalCredentials
from huaweicloudsdkcore.exceptions import exceptions as sdk_exceptions
from huaweicloudsdkcore.http.http_config import HttpConfig

# The two official SDKs and the site whose documents each one follows.
SDKS = [
    ("bssintl", "huaweicloudsdkbssintl.v2", "BssintlClient", "international"),
    ("bss", "huaweicloudsdkbss.v2", "BssClient", "china"),
]
PRIMITIVES = {"str", "int", "float", "bool", "object", "date", "datetime", "decimal.Decimal"}
# The API gateway's documented code for a refused signature (spec/service.yaml auth_failures).
SIGNATURE_CODE = "APIGW.0301"


def camel(snake):
    return "".join(w.capitalize() for w in snake.split("_"))


def sdk_operations(module, client_cls):
    """operation id -> (method name, request class, HTTP method, resource path), by introspection."""
    ops = {}
    for name in dir(client_cls):
        m = re.fullmatch(r"_(\w+)_http_info", name)
        if not m:
            continue
        op = camel(m.group(1))
        req = getattr(module, op + "Request", None)
        if req is None:
            continue
        info = getattr(client_cls, name)(req())
        ops[op] = (m.group(1), req, info["method"], info["resource_path"])
    return ops


# ---------------------------------------------------------------------------------------------
# Arguments from the spec


def spec_examples(root):
    """operation id -> (documented request examples, documented answers as JSON, sites), from
    spec/groups/*.yaml."""
    out = {}
    for f in sorted((root / "spec" / "groups").glob("*.yaml")):
        doc = yaml.safe_load(f.read_text(encoding="utf-8"))
        for op in doc.get("operations") or []:
            answers = []
            for e in op.get("examples") or []:
                resp = e.get("response") or {}
                text = (resp.get("repair") or {}).get("body") or resp.get("body")
                if text and 200 <= resp.get("status", 0) < 300:
                    try:
                        answers.append(json.loads(text))
                    except ValueError:
                        pass
            errors = [e["code"] for e in op.get("errors") or [] if e["status"] >= 400]
            out[op["id"]] = ([e for e in op.get("examples") or [] if e.get("request")], answers,
                             op.get("sites") or [], errors)
    return out


def resolve(openapi, schema):
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        schema = openapi["components"]["schemas"][name]
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return resolve(openapi, schema["allOf"][0])
    return schema


def on_site(schema, site):
    """Whether a member is documented for the site (`x-sites` names the sites of one that is not
    documented for every site)."""
    return site in schema.get("x-sites", [site])


def site_codes(s, site):
    """The documented codes of a code list, without those only other sites document."""
    elsewhere = [v["value"] for v in s.get("x-site-values", []) if site not in v["sites"]]
    return [v for v in s.get("enum") or s.get("x-known-values") or [] if v not in elsewhere]


def required_here(s, site):
    props = s.get("properties") or {}
    return set(s.get("required") or []) | {k for k, p in props.items()
                                          if p.get("x-required-on-sites") and on_site(p, site)}


def synth(openapi, schema, site, depth=0):
    """A value of the schema meeting its constraints, as the site documents it; required members only."""
    s = resolve(openapi, schema)
    if "enum" in s or "x-known-values" in s:
        return site_codes(s, site)[0]
    if "oneOf" in s:  # an amount: sent the way the documents give it
        return "1" if s.get("x-wire-type") == "string" else 1
    t = s.get("type")
    if t == "object" or "properties" in s:
        if depth > 8:
            return {}
        props = s.get("properties") or {}
        return {k: synth(openapi, props[k], site, depth + 1) for k in sorted(required_here(s, site)) if k in props}
    if t == "array":
        n = max(s.get("minItems", 1), 1)
        return [synth(openapi, s.get("items") or {}, site, depth + 1) for _ in range(n)]
    if t == "string":
        fmt = s.get("format")
        if fmt == "date-time":
            return "2024-01-01T00:00:00Z"
        if fmt == "date":
            return "2024-01-01"
        n = max(s.get("minLength", 1), 1)
        if "maxLength" in s:
            n = min(n, max(s["maxLength"], 1))
        return "x" * n
    if t == "integer":
        v = s.get("minimum", 1)
        return min(v, s["maximum"]) if "maximum" in s else v
    if t == "number":
        return s.get("minimum", 1)
    if t == "boolean":
        return True
    return {}


def problems(openapi, schema, value, site, at="", depth=0):
    """Where a value breaks the schema's types, code lists and constraints as the site documents
    them (as the emulator checks)."""
    s = resolve(openapi, schema)
    if value is None or depth > 20:
        return []
    t = s.get("type") or ("object" if "properties" in s else None)
    if ("enum" in s or "x-known-values" in s) and value not in site_codes(s, site):
        return ["%s: %r is not a code documented for the %s site" % (at, value, site)]
    if t == "object":
        if not isinstance(value, dict):
            return ["%s: not an object" % at]
        props = s.get("properties") or {}
        out = ["%s.%s: missing" % (at, k) for k in sorted(required_here(s, site)) if value.get(k) is None]
        for k, v in value.items():
            if k in props and v is not None and not on_site(props[k], site):
                out.append("%s.%s: not documented for the %s site" % (at, k, site))
            elif k in props:
                out += problems(openapi, props[k], v, site, "%s.%s" % (at, k), depth + 1)
        return out
    if t == "array":
        if not isinstance(value, list):
            return ["%s: not a list" % at]
        if len(value) < s.get("minItems", 0) or len(value) > s.get("maxItems", len(value)):
            return ["%s: %d items" % (at, len(value))]
        return [p for v in value for p in problems(openapi, s.get("items") or {}, v, site, at + "[]", depth + 1)]
    if t == "string":
        if not isinstance(value, str):
            return ["%s: not a string" % at]
        if len(value) < s.get("minLength", 0) or len(value) > s.get("maxLength", len(value)):
            return ["%s: %d characters" % (at, len(value))]
        return []
    if t in ("integer", "number"):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (t == "integer" and isinstance(value, float)):
            return ["%s: not %s" % (at, "an integer" if t == "integer" else "a number")]
        if value < s.get("minimum", value) or value > s.get("maximum", value):
            return ["%s: %s out of range" % (at, value)]
        return []
    if t == "boolean" and not isinstance(value, bool):
        return ["%s: not a boolean" % at]
    return []


def param_value(openapi, schema, text):
    """A parameter's text as the JSON value its schema reads (query strings carry only text)."""
    t = resolve(openapi, schema).get("type")
    try:
        if t == "integer":
            return int(text)
        if t == "number":
            return float(text)
    except ValueError:
        return text
    if t == "boolean":
        return {"true": True, "false": False}.get(text, text)
    return text


def keeps_constraints(openapi, op, example, site):
    """Whether a documented example's request meets the operation's documented constraints."""
    req = example["request"]
    given = dict(urllib.parse.parse_qsl(req.get("query") or "", keep_blank_values=True))
    given.update({k: str(v) for k, v in (req.get("path_params") or {}).items()})
    given.update({k: str(v) for k, v in (req.get("headers") or {}).items()})
    for p in op.get("parameters") or []:
        if p["name"] in given and problems(openapi, p["schema"], param_value(openapi, p["schema"], given[p["name"]]), site):
            return False
    text = (req.get("repair") or {}).get("body") or req.get("body")
    if "requestBody" in op and text:
        try:
            body = json.loads(text)
        except ValueError:
            return False
        if problems(openapi, op["requestBody"]["content"]["application/json"]["schema"], body, site, "body"):
            return False
    return True


def arguments(openapi, op, examples, site):
    """(path/query/header values by wire name, body JSON or None, where they came from): the first
    documented example that keeps the site's documented constraints, else values built from them."""
    usable = [e for e in examples if not e.get("breaks_constraint") and keeps_constraints(openapi, op, e, site)]
    params, body, origin = {}, None, "built from the schemas"
    if usable:
        req = usable[0]["request"]
        origin = "documented example `%s`" % usable[0].get("name", "?")
        for k, v in urllib.parse.parse_qsl(req.get("query") or "", keep_blank_values=True):
            params.setdefault(k, v)
        for k, v in (req.get("path_params") or {}).items():
            params[k] = str(v)
        for k, v in (req.get("headers") or {}).items():
            params[k] = str(v)
        text = (req.get("repair") or {}).get("body") or req.get("body")
        if text:
            body = json.loads(text)
    for p in op.get("parameters") or []:
        if p["required"] and p["name"] not in params:
            params[p["name"]] = synth(openapi, p["schema"], site)
    if body is None and "requestBody" in op:
        body = synth(openapi, op["requestBody"]["content"]["application/json"]["schema"], site)
    return params, body, origin


# ---------------------------------------------------------------------------------------------
# JSON <-> SDK models


def to_sdk(module, value, typ, at, dropped):
    """The JSON value as the SDK model `typ`; members the model lacks are listed in `dropped`."""
    if value is None:
        return None
    m = re.fullmatch(r"list\[(.*)\]", typ)
    if m:
        return [to_sdk(module, v, m.group(1), at + "[]", dropped) for v in value] if isinstance(value, list) else value
    m = re.fullmatch(r"dict\(([^,]*), (.*)\)", typ)
    if m:
        return {k: to_sdk(module, v, m.group(2), at + "." + k, dropped) for k, v in value.items()}
    if typ in PRIMITIVES:
        return value
    cls = getattr(module, typ, None)
    if cls is None or not getattr(cls, "openapi_types", None) or not isinstance(value, dict):
        return value
    obj = cls()
    wire_to_attr = {w: a for a, w in cls.attribute_map.items()}
    for k, v in value.items():
        attr = wire_to_attr.get(k)
        if attr is None:
            dropped.append("%s.%s" % (at, k))
            continue
        setattr(obj, attr, to_sdk(module, v, cls.openapi_types[attr], at + "." + k, dropped))
    return obj


def json_kind(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int):
        return "integer"
    if isinstance(v, float):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "array"
    return "object"


WIRE = {"str": {"string"}, "int": {"integer"}, "float": {"integer", "number"}, "bool": {"boolean"},
        "date": {"string"}, "datetime": {"string"}, "decimal.Decimal": {"integer", "number"}}


def check_wire(module, value, typ, at, mismatches, unknown):
    """Strict reading of an answer: each value has the wire type the SDK model declares."""
    if value is None:
        return
    m = re.fullmatch(r"list\[(.*)\]", typ)
    if m:
        if not isinstance(value, list):
            mismatches.append("%s: %s, the SDK reads a list" % (at, json_kind(value)))
            return
        for v in value:
            check_wire(module, v, m.group(1), at + "[]", mismatches, unknown)
        return
    m = re.fullmatch(r"dict\(([^,]*), (.*)\)", typ)
    if m:
        if not isinstance(value, dict):
            mismatches.append("%s: %s, the SDK reads a map" % (at, json_kind(value)))
            return
        for k, v in value.items():
            check_wire(module, v, m.group(2), at + "." + k, mismatches, unknown)
        return
    if typ == "object":
        return
    if typ in WIRE:
        if json_kind(value) not in WIRE[typ]:
            mismatches.append("%s: %s, the SDK reads %s" % (at, json_kind(value), typ))
        return
    cls = getattr(module, typ, None)
    if cls is None:
        return
    if not getattr(cls, "openapi_types", None):
        return  # an SDK enum class: any documented code
    if not isinstance(value, dict):
        mismatches.append("%s: %s, the SDK reads %s" % (at, json_kind(value), typ))
        return
    wire_to_attr = {w: a for a, w in cls.attribute_map.items()}
    for k, v in value.items():
        attr = wire_to_attr.get(k)
        if attr is None:
            unknown.append("%s.%s" % (at, k))
        else:
            check_wire(module, v, cls.openapi_types[attr], "%s.%s" % (at, k), mismatches, unknown)


def error_message_member(openapi, op):
    """The member an operation's documented error body carries its message in."""
    for status, r in op.get("responses", {}).items():
        if not status.isdigit() or int(status) < 300:
            continue
        schema = ((r.get("content") or {}).get("application/json") or {}).get("schema")
        if schema:
            props = resolve(openapi, schema).get("properties") or {}
            if "error_message" in props and "error_msg" not in props:
                return "error_message"
    return "error_msg"


# ---------------------------------------------------------------------------------------------
# The emulator's control endpoint


def control(base, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + "/_emulator/" + path, data=data, method=method)
    with urllib.request.urlopen(req, timeout=10) as r:
        text = r.read()
    return json.loads(text) if text else None


# ---------------------------------------------------------------------------------------------


def sdk_model_gaps(root, modules):
    """Types whose description says their fields come from an official SDK model (`SDK model X`)
    but that lack some of that model's fields without naming them in the description (which is
    where the spec records why a field is left out)."""
    gaps = []
    for f in sorted((root / "spec" / "groups").glob("*.yaml")):
        doc = yaml.safe_load(f.read_text(encoding="utf-8"))
        for name, t in (doc.get("types") or {}).items():
            desc = t.get("description", "")
            have = {x["name"] for x in t["fields"]}
            for model in re.findall(r"SDK models? ([A-Z][A-Za-z0-9]+)", desc):
                cls = next((getattr(m, model) for m in modules if hasattr(m, model)), None)
                if cls is None:
                    continue  # a Go model without a Python twin of that name
                missing = sorted(w for w in cls.attribute_map.values() if w not in have and w not in desc)
                if missing:
                    gaps.append("%s: type %s lacks %s of the SDK model %s (add them, or say why in its description)"
                                % (f.relative_to(root), name, ", ".join(missing), model))
    return gaps


class Explained:
    """tests/sdk/differences.yaml: the documented SDK-vs-document differences a refusal may have."""

    def __init__(self, path):
        self.entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        for i, e in enumerate(self.entries):
            for key in ("operation", "sdks", "section", "document_field", "sdk_field", "reason"):
                if not e.get(key):
                    raise SystemExit("%s: entry %d has no `%s`" % (path, i + 1, key))
        self.used = set()

    def find(self, sdk, operation, text):
        """The entry explaining a refusal of `operation` by way of `sdk` whose reason is `text`."""
        for i, e in enumerate(self.entries):
            if e["operation"] == operation and sdk in e["sdks"] and e["document_field"].split(".")[-1] in text:
                self.used.add(i)
                return e
        return None

    def stale(self):
        """The entries that explained no refusal."""
        return [e for i, e in enumerate(self.entries) if i not in self.used]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--endpoint", required=True)
    ap.add_argument("--openapi", required=True)
    ap.add_argument("--ak", required=True)
    ap.add_argument("--sk", required=True)
    ap.add_argument("--domain-id", default="emulator0domain0id0000000000000000")
    args = ap.parse_args()
    root = Path(__file__).resolve().parents[2]
    openapi = json.loads(Path(args.openapi).read_text(encoding="utf-8"))
    documented = {o["operationId"]: (m.upper(), p, o) for p, v in openapi["paths"].items() for m, o in v.items()}
    examples = spec_examples(root)
    explained = Explained(root / "tests" / "sdk" / "differences.yaml")

    rows, failures, undocumented, other_site, example_wire_types = [], [], [], [], []
    errors_read, error_message_bodies = [], []
    config = HttpConfig.get_default_config()
    config.ignore_ssl_verification = True
    config.timeout = (5, 30)
    creds = GlobalCredentials(args.ak, args.sk).with_domain_id(args.domain_id)
    for sdk, modname, client_name, site in SDKS:
        module = importlib.import_module(modname)
        client_cls = getattr(module, client_name)
        client = (client_cls.new_builder().with_http_config(config).with_credentials(creds)
                  .with_endpoints([args.endpoint]).build())
        ops = sdk_operations(module, client_cls)
        # The emulator checks requests against the documents of the site this SDK is for.
        control(args.endpoint, "PUT", "site", {"site": site})
        undocumented += ["%s.%s" % (sdk, op) for op in sorted(set(ops) - set(documented))]
        for op_id in sorted(set(ops) & set(documented)):
            method_name, req_cls, sdk_method, sdk_path = ops[op_id]
            http_method, path, op = documented[op_id]
            op_examples, answers, sites, error_codes = examples.get(op_id, ([], [], [], []))
            if sites and site not in sites:
                other_site.append("%s.%s (documented for %s)" % (sdk, op_id, ", ".join(sites)))
                continue
            row = {"sdk": sdk, "operation": op_id, "outcome": "", "note": ""}
            rows.append(row)

            def fail(why):
                row["outcome"] = "FAIL"
                row["note"] = why
                failures.append("%s.%s: %s" % (sdk, op_id, why))

            if (sdk_method, sdk_path) != (http_method, path):
                fail("the SDK calls %s %s, the spec documents %s %s" % (sdk_method, sdk_path, http_method, path))
                continue
            params, body, origin = arguments(openapi, op, op_examples, site)
            request = req_cls()
            wire_to_attr = {w: a for a, w in req_cls.attribute_map.items()}
            lost = []
            for name, value in params.items():
                if name in ("domain_id",) and name not in wire_to_attr:
                    continue  # filled in from the credentials, as GlobalCredentials does
                attr = wire_to_attr.get(name)
                if attr is None:
                    lost.append(name)
                    continue
                setattr(request, attr, value)
            if body is not None:
                if "body" not in req_cls.openapi_types:
                    lost.append("body")
                else:
                    request.body = to_sdk(module, body, req_cls.openapi_types["body"], "body", lost)
            control(args.endpoint, "POST", "reset")
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                try:
                    response = getattr(client, method_name)(request)
                    error = None
                except sdk_exceptions.ServiceResponseException as e:
                    response, error = None, e
                except Exception as e:  # anything else the SDK raises is a parse or client error
                    fail("the SDK raised %s: %s" % (type(e).__name__, e))
                    continue
            recorded = control(args.endpoint, "GET", "requests") or []
            detail = (recorded[-1].get("detail") if recorded else None) or ""
            sent = " (the SDK does not send %s)" % ", ".join(lost) if lost else ""
            if error is not None:
                code = error.error_code or ""
                text = "%s %s %s%s" % (error.status_code, code, detail or error.error_msg, sent)
                if code == SIGNATURE_CODE or error.status_code == 401:
                    fail("signature refused: " + text)
                elif error.status_code >= 500:
                    fail("server error: " + text)
                else:
                    entry = explained.find(sdk, op_id, detail + " " + " ".join(lost))
                    if entry is None:
                        fail("refused: " + text)
                    else:
                        row["outcome"] = "explained"
                        row["note"] = "%s: %s (%s, SDK field %s)" % (error.status_code, code, entry["section"],
                                                                     entry["sdk_field"])
                continue
            problems = ["%s: %s" % (w.category.__name__, w.message) for w in caught
                        if "Conversion" in w.category.__name__]
            mismatches, unknown, as_documented = [], [], []
            raw = response.raw_content
            if raw:
                try:
                    answer = json.loads(raw)
                except ValueError as e:
                    fail("the answer is not JSON: %s" % e)
                    continue
                check_wire(module, answer, type(response).__name__, "response", mismatches, unknown)
                # The section's own example, answered byte for byte, is what the document says
                # the service sends; where its wire types differ from the table (and so from the
                # SDK model), that is the document's contradiction, shown but not failed.
                if answer in answers:
                    as_documented, mismatches = mismatches, []
            if problems or mismatches:
                fail("; ".join(problems + mismatches))
                continue
            row["outcome"] = "%d parsed" % response.status_code
            notes = ["arguments: " + origin]
            if as_documented:
                example_wire_types.append("%s.%s" % (sdk, op_id))
                notes.append("the documented example's wire types differ from the SDK model (converted): "
                             + ", ".join(as_documented[:2]) + (" ..." if len(as_documented) > 2 else ""))
            if lost:
                notes.append("the SDK does not send " + ", ".join(lost))
            if unknown:
                notes.append("the SDK model lacks " + ", ".join(unknown[:3]) + (" ..." if len(unknown) > 3 else ""))
            # The documented error answer, forced by a scenario: its body names the message as
            # the section does, and the SDK reads the code from it only beside `error_msg`.
            if error_codes:
                code = error_codes[0]
                control(args.endpoint, "PUT", "scenarios/" + op_id, {"error_code": code})
                try:
                    getattr(client, method_name)(request)
                    fail("a forced %s was not raised by the SDK" % code)
                    continue
                except sdk_exceptions.ServiceResponseException as e:
                    member = error_message_member(openapi, op)
                    if member == "error_msg" and e.error_code != code:
                        fail("the forced %s came back to the SDK as %r" % (code, e.error_code))
                        continue
                    if member == "error_message":
                        error_message_bodies.append("%s.%s" % (sdk, op_id))
                        notes.append("documented error body with error_message: the SDK reads code %r"
                                     % e.error_code)
                    else:
                        errors_read.append(op_id)
                finally:
                    control(args.endpoint, "DELETE", "scenarios/" + op_id)
            row["note"] = "; ".join(notes)

    width = max(len(r["operation"]) for r in rows) if rows else 10
    print("%-8s %-*s %-10s %s" % ("sdk", width, "operation", "outcome", "note"))
    for r in rows:
        print("%-8s %-*s %-10s %s" % (r["sdk"], width, r["operation"], r["outcome"], r["note"]))
    print()
    print("Operations the SDKs have and the spec does not document (%d):" % len(undocumented))
    for u in undocumented:
        print("  " + u)
    print("Operations the SDKs have that the spec documents for another site only (%d):" % len(other_site))
    for u in other_site:
        print("  " + u)
    gaps = sdk_model_gaps(root, [importlib.import_module(m) for _, m, _, _ in SDKS])
    print("Types taken from SDK models that lack some of the model's fields: %d" % len(gaps))
    failures += gaps
    stale = explained.stale()
    for e in stale:
        failures.append("tests/sdk/differences.yaml: the entry for %s (%s) explains no refusal; delete it"
                        % (e["operation"], e["sdk_field"]))
    parsed = sum(1 for r in rows if r["outcome"].endswith("parsed"))
    listed = sum(1 for r in rows if r["outcome"] == "explained")
    print()
    versions = ", ".join("%s %s" % (d, importlib.metadata.version(d))
                         for d in ("huaweicloudsdkcore", "huaweicloudsdkbssintl", "huaweicloudsdkbss"))
    print("SDKs: " + versions)
    print("SUMMARY: %d calls (%s): %d answered 2xx and parsed (%d of them documented examples whose wire "
          "types the SDK converts), %d refused as explained, %d failed; %d SDK operations undocumented, "
          "%d documented for another site only"
          % (len(rows), ", ".join("%s %d" % (s[0], sum(1 for r in rows if r["sdk"] == s[0])) for s in SDKS),
             parsed, len(example_wire_types), listed, len(failures), len(undocumented), len(other_site)))
    print("ERRORS: a documented error code forced on each of %d answered calls: the SDK read the code from "
          "%d error_msg bodies; %d are documented with error_message (%s)"
          % (len(errors_read) + len(error_message_bodies), len(errors_read), len(error_message_bodies),
             ", ".join(error_message_bodies) or "-"))
    if failures:
        print()
        print("FAILURES:")
        for f in failures:
            print("  " + f)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
