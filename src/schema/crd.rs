//! CustomResourceDefinitions in the input: their `openAPIV3Schema` per
//! served version, turned into JSON Schema 2020-12 with Kubernetes'
//! structural-schema semantics (unknown fields are pruned, so reported;
//! `nullable`; `x-kubernetes-int-or-string`; `x-kubernetes-preserve-unknown-fields`;
//! `x-kubernetes-embedded-resource`).

use serde_json::{Map, Value, json};

use crate::model::Object;
use crate::parse::Node;
use crate::schema::json::to_json;

/// (apiVersion, kind, openAPIV3Schema node) per served version of a CRD
/// (`apiextensions.k8s.io/v1` and `v1beta1` shapes). The schema is converted
/// (`from_node`) only when an object of that kind is validated: most CRDs
/// of a repository have no custom resource beside them.
pub fn schemas(crd: &Object) -> Vec<(String, String, &Node)> {
    let Some(spec) = crd.root.get("spec") else {
        return Vec::new();
    };
    let (Some(group), Some(kind)) = (
        spec.get_str("group"),
        spec.path(&["names", "kind"]).and_then(Node::as_str),
    ) else {
        return Vec::new();
    };
    let shared = spec.path(&["validation", "openAPIV3Schema"]);
    let mut out = Vec::new();
    let mut add = |version: &str, schema| {
        out.push((format!("{group}/{version}"), kind.to_string(), schema));
    };
    let versions = spec.get_seq("versions");
    for v in versions {
        if v.get("served").and_then(Node::as_bool) == Some(false) {
            continue;
        }
        let Some(name) = v.get_str("name") else {
            continue;
        };
        if let Some(schema) = v.path(&["schema", "openAPIV3Schema"]).or(shared) {
            add(name, schema);
        }
    }
    if versions.is_empty()
        && let (Some(name), Some(schema)) = (spec.get_str("version"), shared)
    {
        add(name, schema);
    }
    out
}

/// A CRD version's `openAPIV3Schema` as JSON Schema (see `convert`).
pub fn from_node(schema: &Node) -> Value {
    let mut out = to_json(schema);
    rewrite_root(&mut out);
    out
}

/// The CRD schema as JSON Schema; the root also admits apiVersion, kind and
/// metadata, which the API server handles itself.
pub fn convert(schema: &Value) -> Value {
    let mut out = schema.clone();
    rewrite_root(&mut out);
    out
}

fn rewrite_root(out: &mut Value) {
    rewrite(out);
    if let Some(props) = out.get_mut("properties").and_then(Value::as_object_mut) {
        add_object_header(props);
    }
}

fn add_object_header(props: &mut Map<String, Value>) {
    for (name, schema) in [
        ("apiVersion", json!({"type": "string"})),
        ("kind", json!({"type": "string"})),
        ("metadata", json!({"type": "object"})),
    ] {
        props.entry(name).or_insert(schema);
    }
}

fn rewrite(node: &mut Value) {
    match node {
        Value::Array(items) => items.iter_mut().for_each(rewrite),
        Value::Object(map) => {
            rewrite_schema(map);
            for (key, child) in map.iter_mut() {
                match key.as_str() {
                    // Maps of name -> schema.
                    "properties" | "patternProperties" | "definitions" | "$defs" => {
                        if let Value::Object(children) = child {
                            children.values_mut().for_each(rewrite);
                        }
                    }
                    "items" | "additionalProperties" | "not" | "allOf" | "anyOf" | "oneOf" => {
                        rewrite(child)
                    }
                    _ => {}
                }
            }
        }
        _ => {}
    }
}

/// One schema object's OpenAPI-v3-isms.
fn rewrite_schema(map: &mut Map<String, Value>) {
    let flag = |map: &Map<String, Value>, key: &str| map.get(key) == Some(&Value::Bool(true));
    if flag(map, "x-kubernetes-int-or-string") {
        map.remove("type");
        if !map.contains_key("anyOf") && !map.contains_key("allOf") {
            map.insert(
                "anyOf".into(),
                json!([{"type": "integer"}, {"type": "string"}]),
            );
        }
    }
    if flag(map, "nullable") {
        let null = Value::String("null".into());
        match map.get_mut("type") {
            Some(Value::String(t)) => {
                let t = Value::String(std::mem::take(t));
                map.insert("type".into(), Value::Array(vec![t, null]));
            }
            Some(Value::Array(types)) if !types.contains(&null) => types.push(null),
            _ => {}
        }
        if let Some(Value::Array(values)) = map.get_mut("enum")
            && !values.contains(&Value::Null)
        {
            values.push(Value::Null);
        }
    }
    // Structural schemas may not use these; drop them so they cannot
    // change meaning under JSON Schema 2020-12.
    for key in ["$schema", "$id", "id", "$ref", "definitions"] {
        map.remove(key);
    }
    if flag(map, "x-kubernetes-embedded-resource")
        && let Some(Value::Object(props)) = map.get_mut("properties")
    {
        add_object_header(props);
    }
    let preserve = flag(map, "x-kubernetes-preserve-unknown-fields");
    if map.contains_key("properties") && !map.contains_key("additionalProperties") && !preserve {
        map.insert("additionalProperties".into(), Value::Bool(false));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_openapi_v3_isms() {
        let schema = json!({
            "type": "object",
            "properties": {
                "spec": {
                    "type": "object",
                    "properties": {
                        "port": {"x-kubernetes-int-or-string": true},
                        "note": {"type": "string", "nullable": true},
                        "extra": {"type": "object", "x-kubernetes-preserve-unknown-fields": true,
                                  "properties": {"a": {"type": "string"}}}
                    }
                }
            }
        });
        let out = convert(&schema);
        let v = jsonschema::draft202012::new(&out).expect("compiles");
        let ok = json!({"apiVersion": "a/v1", "kind": "K", "metadata": {"name": "x"},
                        "spec": {"port": "http", "note": null, "extra": {"b": 1}}});
        assert!(v.is_valid(&ok));
        assert!(v.is_valid(&json!({"spec": {"port": 8080}})));
        assert!(!v.is_valid(&json!({"spec": {"port": true}})));
        assert!(!v.is_valid(&json!({"spec": {"prot": 1}})));
        assert!(!v.is_valid(&json!({"spc": {}})));
    }
}
