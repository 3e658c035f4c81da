//! KW5511: a PersistentVolumeClaim's `storageClassName` (or a StatefulSet
//! `volumeClaimTemplates` entry's) names a StorageClass the input does not
//! define, while it defines others, and no PersistentVolume of the input
//! has that class (static provisioning). The claim stays Pending. `""` asks for
//! no class and is never reported.

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::Object;
use crate::parse::Node;
use crate::rules::{Check, RuleMeta, rule_meta};

pub static META: RuleMeta = rule_meta!(
    "KW5511",
    "storage-class-not-found",
    Practice,
    Warning,
    "A PersistentVolumeClaim names a StorageClass that is not defined, while others are"
);

pub struct Rule;

const CONSEQUENCE: &str = "the claim stays Pending and pods using it never start";

impl Check for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, obj: &Object, catalog: &Catalog<'_>, out: &mut Vec<Diagnostic>) {
        // Static provisioning: a PersistentVolume of the class binds the
        // claim without any StorageClass object.
        let has_volume = |node: &Node| {
            let name = node.as_str();
            catalog.of_kind("PersistentVolume").any(|pv| {
                pv.root
                    .path(&["spec", "storageClassName"])
                    .and_then(Node::as_str)
                    == name
            })
        };
        let mut check = |node: &Node, field: &str| {
            if !has_volume(node) {
                super::check_class(
                    &super::ClassRef {
                        meta: &META,
                        kind: "StorageClass",
                        field,
                        consequence: CONSEQUENCE,
                    },
                    obj,
                    node,
                    catalog,
                    out,
                );
            }
        };
        match obj.kind() {
            "PersistentVolumeClaim" => {
                if let Some(node) = obj.root.path(&["spec", "storageClassName"]) {
                    check(node, "storageClassName");
                }
            }
            "StatefulSet" => {
                let templates = obj
                    .root
                    .path(&["spec", "volumeClaimTemplates"])
                    .and_then(Node::as_seq)
                    .unwrap_or(&[]);
                for t in templates {
                    if let Some(node) = t.path(&["spec", "storageClassName"]) {
                        check(node, "volumeClaimTemplates storageClassName");
                    }
                }
            }
            _ => {}
        }
    }
}
